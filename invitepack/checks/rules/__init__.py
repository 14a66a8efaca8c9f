"""The built-in rules: ordinary plugins, one module per family, registered like any other.

Their hooks are marked with checks/builtin.py's `hookimpl`, the mark `invitepack.hookimpl`
gives, made without importing pluggy: a cold `check` with no other plugin calls them
directly."""
