"""The report's filters, sort, search and review buttons: plain CSS and JS, inline.

No framework and nothing fetched: the report is one file that opens offline and
can be mailed. Cards carry ``data-*`` attributes (kind, entry, agents, days,
review state, lower-cased text); the script hides the cards that do not match,
updates each section's count, and hides sections and groups left empty. When
the page is served with a review URL, a decision button POSTs
``{finding_ids, decision, reviewer, note}`` as JSON and shows the new state.
"""

from __future__ import annotations

__all__ = ["DECISIONS", "JS", "NAV_CSS"]

#: Review states in plain words, in the order of the filter and buttons.
DECISIONS: dict[str, str] = {
    "unreviewed": "Not reviewed",
    "confirmed": "Confirmed",
    "false_alarm": "False alarm",
    "wont_fix": "Won't fix",
    "mixed": "Mixed decisions",
}

NAV_CSS = """
#toolbar{position:sticky;top:0;z-index:2;background:#f6f7f9;padding:8px 0;
  display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;border-bottom:1px solid #d5dae1}
#toolbar label{font-size:13px;color:#374151}
#toolbar select,#toolbar input{font:inherit;font-size:13px;padding:2px 4px}
#shown{color:#5b6573;font-size:13px}
#contents ol{columns:2;margin:4px 0}
.hidden{display:none!important}
.review{margin-top:6px;font-size:13px}
.review button{font:inherit;font-size:12px;margin-left:4px}
.review input{font:inherit;font-size:12px;width:9em}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:10px}
figure.chart{margin:0;background:#fff;border:1px solid #d5dae1;border-radius:6px;padding:6px}
figure.chart svg{max-width:100%;height:auto}
details{margin-top:6px}
"""

JS = r"""
(function(){
  var cards=[].slice.call(document.querySelectorAll('article.finding'));
  var filters=[].slice.call(document.querySelectorAll('#toolbar select[data-filter]'));
  var search=document.getElementById('search');
  var sort=document.getElementById('sort');
  var shown=document.getElementById('shown');
  var timer=null;
  function matches(card,words,active){
    for(var i=0;i<active.length;i++){
      var f=active[i],v=card.getAttribute('data-'+f[0])||'';
      if(f[0]==='kind'||f[0]==='entry'||f[0]==='review'){if(v!==f[1])return false;}
      else if((' '+v+' ').indexOf(' '+f[1]+' ')<0)return false;
    }
    var text=card.getAttribute('data-text')||'';
    for(var j=0;j<words.length;j++){if(text.indexOf(words[j])<0)return false;}
    return true;
  }
  function apply(){
    var active=[];
    filters.forEach(function(s){if(s.value)active.push([s.getAttribute('data-filter'),s.value]);});
    var words=(search.value||'').toLowerCase().split(/\s+/).filter(Boolean);
    var n=0;
    cards.forEach(function(c){var ok=matches(c,words,active);c.classList.toggle('hidden',!ok);if(ok)n++;});
    document.querySelectorAll('div.group').forEach(function(g){
      g.classList.toggle('hidden',!g.querySelector('article.finding:not(.hidden)'));});
    document.querySelectorAll('section.kind').forEach(function(s){
      var k=s.querySelectorAll('article.finding:not(.hidden)').length;
      s.querySelector('h2').textContent=s.getAttribute('data-title')+' ('+k+')';
      s.classList.toggle('hidden',active.length+words.length>0&&k===0);});
    shown.textContent='Showing '+n+' of '+cards.length+' problems';
  }
  function order(){
    var key=sort.value;
    document.querySelectorAll('div.group').forEach(function(g){
      var list=[].slice.call(g.querySelectorAll('article.finding'));
      list.sort(function(a,b){
        if(key==='count')return b.getAttribute('data-count')-a.getAttribute('data-count');
        if(key==='severity')return b.getAttribute('data-severity')-a.getAttribute('data-severity');
        if(key==='first')return (a.getAttribute('data-first')||'').localeCompare(b.getAttribute('data-first')||'');
        return cards.indexOf(a)-cards.indexOf(b);
      });
      list.forEach(function(c){g.appendChild(c);});
    });
  }
  filters.forEach(function(s){s.addEventListener('change',apply);});
  search.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(apply,80);});
  sort.addEventListener('change',order);
  var url=document.body.getAttribute('data-review-url');
  if(url){
    document.addEventListener('click',function(e){
      var b=e.target.closest('.review button[data-decision]');if(!b)return;
      var box=b.closest('.review'),card=b.closest('article.finding');
      var who=box.querySelector('.reviewer').value.trim();
      var state=box.querySelector('.review-state');
      if(!who){state.textContent='Please give your name first.';box.querySelector('.reviewer').focus();return;}
      var body={finding_ids:box.getAttribute('data-ids').split(' '),decision:b.getAttribute('data-decision'),
        reviewer:who,note:box.querySelector('.note').value};
      fetch(url,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)})
        .then(function(r){if(!r.ok)throw new Error('the server answered '+r.status);return r.json();})
        .then(function(){card.setAttribute('data-review',body.decision);
          state.textContent='Review: '+b.textContent+' by '+who;apply();})
        .catch(function(err){state.textContent='Not recorded: '+err.message;});
    });
  }
  apply();
})();
"""
