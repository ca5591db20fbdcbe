"""Serving the app to people elsewhere: over SSH (``tui.serve.ssh``) and in a browser
(``tui.serve.web``). Every session runs its own app process (``tui.serve.child``'s
``run_session``) on the one store, which is safe across processes, forked from a preloaded
parent (``tui.serve.warm``, ``tui.serve.forking``; a browser tab asks for it through
``tui.serve.tab``) or, with ``--sans-prechargement``, started as a new interpreter; the servers
never start anything else. With ``--bac-a-sable`` each session has its own fresh copy of the
demo instead (``tui.serve.sandbox``).

Nothing is imported here: ``python -m tui.serve.child`` must find its module unloaded, and the
command line imports a server only when it is asked to serve.
"""

__all__ = ["access", "child", "forking", "sandbox", "ssh", "styles", "tab", "warm", "web"]
