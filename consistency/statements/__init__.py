"""A trained reading of whole statements: does the agent's answer contradict the KB's?

The claim readers in :mod:`consistency.compare` see what their rules describe. This
package adds a small cross-encoder (all-MiniLM-L6-v2 fine-tuned on the project's own
study sets, int8 ONNX, shipped in ``data/``) that reads the KB answer and the agent's
answer together. The checker uses it two ways (:mod:`~consistency.statements.judge`):
to raise a difference the rules did not describe, and to hold back a rule's flag that
the whole answer does not bear out.
"""

from consistency.statements.judge import StatementPolicy
from consistency.statements.model import StatementModel, default_statement_model

__all__ = ["StatementModel", "StatementPolicy", "default_statement_model"]
