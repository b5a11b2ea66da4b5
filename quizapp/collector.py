"""Start-up without the cyclic garbage collector.

Nearly everything a launch creates (imported modules, the parsers, the app's widgets
and styles) lives until the process ends, so the collector's passes over it while the
program starts find nothing to free: they cost the app about a tenth of the time to
its first screen. :func:`pause` stops the collector while a command line is read and
while the app builds its first screen; :func:`resume` starts it again when the
command's own work begins, or, for the app, once its first screen is drawn.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """Stop collecting until :func:`resume`."""
    gc.disable()


def resume(*, freeze: bool = False) -> None:
    """Collect again (nothing to do if collecting already). ``freeze``: first move
    everything that exists now out of the collector's way for good (``gc.freeze``): a
    long-running app's first collection then does not walk the whole start-up."""
    if not gc.isenabled():
        if freeze:
            gc.freeze()
        gc.enable()
