#!/usr/bin/env python3
"""Presses keys on the X display ($DISPLAY) through the XTest extension, after moving the
pointer to X,Y (so the window there receives them). Used by the e2e test to open the app's
native GTK menu, which WebDriver's synthetic key events never reach.

Usage: x11-keys.py X Y KEYSYM... (e.g. 800 500 F10 Left)
"""
import ctypes
import sys
import time

if len(sys.argv) < 4:
    sys.exit("usage: x11-keys.py X Y KEYSYM...")
x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
xtst = ctypes.cdll.LoadLibrary("libXtst.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XStringToKeysym.restype = ctypes.c_ulong
x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
x11.XKeysymToKeycode.restype = ctypes.c_ubyte
x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
x11.XFlush.argtypes = [ctypes.c_void_p]
x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]

display = x11.XOpenDisplay(None)
if not display:
    sys.exit("cannot open the X display (is DISPLAY set?)")
xtst.XTestFakeMotionEvent(display, -1, int(sys.argv[1]), int(sys.argv[2]), 0)
x11.XFlush(display)
time.sleep(0.3)
for name in sys.argv[3:]:
    keycode = x11.XKeysymToKeycode(display, x11.XStringToKeysym(name.encode()))
    if keycode == 0:
        sys.exit(f"no key for keysym {name!r}")
    xtst.XTestFakeKeyEvent(display, keycode, 1, 0)
    xtst.XTestFakeKeyEvent(display, keycode, 0, 0)
    x11.XFlush(display)
    time.sleep(0.4)
x11.XCloseDisplay(display)
