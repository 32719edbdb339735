"""`python -m feedback_app …`: the command line (see feedback_app.cli)."""

from feedback_app.cli import main

raise SystemExit(main())
