"""Load, validate and version the canonical knowledge base."""

from consistency.kb.errors import KBProblem, KnowledgeBaseError
from consistency.kb.knowledge_base import KnowledgeBase

__all__ = ["KBProblem", "KnowledgeBase", "KnowledgeBaseError"]
