"""``python -m consistency.server --kb DIR``: the same as ``consistency serve``."""

import typer

from consistency.server.cli import serve_command

if __name__ == "__main__":
    typer.run(serve_command)
