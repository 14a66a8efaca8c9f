"""`python -m invitepack` works like the `invitepack` command."""

from invitepack.cli import main

main()
