// The agent page: check the draft as the agent types, show what differs and where.
// User text only ever reaches the page through textContent / text nodes.
"use strict";

(() => {
  const DEBOUNCE_MS = 300;
  const TOKEN_KEY = "consistency.token";
  const STATUS_TEXT = {
    idle: "Waiting for a question.",
    consistent: "Consistent with the knowledge base",
    contradiction: "Contradicts the knowledge base",
    no_match: "Not covered by the knowledge base",
    unverified: "Could not be verified",
    error: "No verdict",
  };

  const $ = (id) => document.getElementById(id);
  const form = $("check-form");
  const question = $("question");
  const answer = $("answer");
  const on = $("on");
  const token = $("token");
  const tokenField = $("token-field");
  const verdictBox = $("verdict");
  const statusLine = verdictBox.querySelector(".verdict-status");
  const explanationLine = verdictBox.querySelector(".verdict-explanation");

  let timer = null;
  let sequence = 0;
  let inFlight = null;

  token.value = sessionStorage.getItem(TOKEN_KEY) || "";

  // Spans from the server count Unicode code points; JS strings count UTF-16 units.
  // Array.from splits by code point, so emoji and other astral characters line up.
  function renderMarked(container, text, marks) {
    const chars = Array.from(text);
    const spans = marks
      .filter((m) => Array.isArray(m.span) && m.span[0] < m.span[1] && m.span[1] <= chars.length)
      .sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
    const nodes = [];
    let pos = 0;
    for (const m of spans) {
      const [start, end] = m.span;
      if (start < pos) continue; // overlapping span: the first one wins
      if (start > pos) nodes.push(document.createTextNode(chars.slice(pos, start).join("")));
      const mark = document.createElement("mark");
      mark.className = m.className;
      mark.dataset.kind = m.kind;
      mark.title = m.title;
      mark.textContent = chars.slice(start, end).join("");
      nodes.push(mark);
      pos = end;
    }
    if (pos < chars.length) nodes.push(document.createTextNode(chars.slice(pos).join("")));
    container.replaceChildren(...nodes);
  }

  function setVerdict(status, explanation) {
    verdictBox.dataset.status = status;
    statusLine.textContent = STATUS_TEXT[status] || status;
    explanationLine.textContent = explanation || "";
  }

  function hideDetails() {
    $("conflicts-block").hidden = true;
    $("draft-block").hidden = true;
    $("entry-block").hidden = true;
  }

  function showError(message) {
    setVerdict("error", message);
    hideDetails();
  }

  function showVerdict(verdict, sentAnswer) {
    setVerdict(verdict.status, verdict.explanation);
    const conflicts = verdict.conflicts || [];

    const list = $("conflicts");
    list.replaceChildren(
      ...conflicts.map((c) => {
        const item = document.createElement("li");
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = c.kind;
        const says = document.createElement("strong");
        says.textContent = c.answer_value || c.answer_text || "nothing";
        const kbSays = document.createElement("strong");
        kbSays.textContent = c.kb_value || c.kb_text;
        if (c.kind === "condition" && !c.answer_span) {
          // A dropped condition: the draft states the fact without what the KB attaches to it.
          item.append(kind, "Your draft says ", says, " without the condition — the KB says ", kbSays);
        } else {
          item.append(kind, "Your draft says ", says, " — the KB says ", kbSays);
        }
        if (c.explanation) item.title = c.explanation;
        return item;
      }),
    );
    $("conflicts-block").hidden = conflicts.length === 0;

    renderMarked(
      $("draft"),
      sentAnswer,
      conflicts.map((c) => ({
        span: c.answer_span,
        kind: c.kind,
        className: "answer-mark",
        title: `KB says ${c.kb_value || c.kb_text}`,
      })),
    );
    $("draft-block").hidden = !sentAnswer || conflicts.length === 0;

    if (verdict.entry_id && verdict.canonical_answer) {
      $("entry-id").textContent = verdict.entry_id;
      const meta = [`match ${Math.round((verdict.score || 0) * 100)}%`];
      if (verdict.valid_from && verdict.valid_to) {
        meta.push(`valid ${verdict.valid_from} to ${verdict.valid_to}`);
      } else if (verdict.valid_from) {
        meta.push(`valid from ${verdict.valid_from}`);
      } else if (verdict.valid_to) {
        meta.push(`valid until ${verdict.valid_to}`);
      }
      $("entry-meta").textContent = meta.join(" · ");
      renderMarked(
        $("canonical"),
        verdict.canonical_answer,
        conflicts.map((c) => ({
          span: c.kb_span,
          kind: c.kind,
          className: "kb-mark",
          title: `Your draft says ${c.answer_value || c.answer_text || "nothing"}`,
        })),
      );
      $("entry-block").hidden = false;
    } else {
      $("entry-block").hidden = true;
    }
  }

  function validationMessage(body) {
    const first = Array.isArray(body.detail) ? body.detail[0] : null;
    if (!first) return String(body.detail || "The request was refused.");
    const field = (first.loc || []).filter((p) => p !== "body").join(".");
    return `${field}: ${first.msg}`;
  }

  function headers() {
    const h = { "Content-Type": "application/json" };
    if (token.value) h.Authorization = `Bearer ${token.value}`;
    return h;
  }

  async function runCheck() {
    clearTimeout(timer);
    const q = question.value;
    const a = answer.value;
    if (!q.trim()) {
      sequence += 1;
      if (inFlight) inFlight.abort();
      verdictBox.removeAttribute("aria-busy");
      setVerdict("idle", "");
      hideDetails();
      return;
    }
    const body = { question: q, answer: a };
    if (on.value) body.on = on.value;
    const mine = ++sequence;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    verdictBox.setAttribute("aria-busy", "true");
    try {
      const res = await fetch("v1/check", {
        method: "POST",
        headers: headers(),
        body: JSON.stringify(body),
        signal: inFlight.signal,
      });
      const data = await res.json().catch(() => ({}));
      if (mine !== sequence) return; // a newer check is on its way
      if (res.ok) {
        showVerdict(data, a);
      } else if (res.status === 401) {
        tokenField.hidden = false;
        showError("This server needs an access token: enter it below the draft.");
      } else if (res.status === 422) {
        showError(validationMessage(data));
      } else if (res.status === 503) {
        showError("The server is still loading the knowledge base; retrying…");
        timer = setTimeout(runCheck, 1000);
      } else {
        showError(data.detail ? String(data.detail) : `The server answered ${res.status}.`);
      }
    } catch (err) {
      if (err.name === "AbortError") return;
      if (mine === sequence) showError("The server cannot be reached.");
    } finally {
      if (mine === sequence) verdictBox.removeAttribute("aria-busy");
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(runCheck, DEBOUNCE_MS);
  }

  question.addEventListener("input", schedule);
  answer.addEventListener("input", schedule);
  on.addEventListener("change", schedule);
  token.addEventListener("input", () => {
    sessionStorage.setItem(TOKEN_KEY, token.value);
    schedule();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runCheck();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runCheck();
    }
  });

  fetch("readyz")
    .then((res) => res.json())
    .then((info) => {
      if (info.auth_required) tokenField.hidden = false;
    })
    .catch(() => {});
})();
