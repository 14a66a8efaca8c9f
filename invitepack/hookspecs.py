"""placeholder"""
import pluggy
hookimpl = pluggy.HookimplMarker("invitepack")
