#!/usr/bin/env python3
"""Runs a command with its standard output (and, unless --stderr-file, its standard error) on a
pseudo-terminal and writes what it printed, byte for byte, to our standard output.

  pty_run.py [--cols N] [--stderr-file F] [--stdout-file F] [--slow-stdin FILE SECS] -- CMD ARGS...

--cols: the terminal's width (TIOCSWINSZ), default 80; $COLUMNS is passed as it is in our
environment (unset it to test the ioctl). Output post-processing (ONLCR) is off, so the bytes
are the program's. --stdout-file: standard output goes to F instead (standard error alone on the
terminal). --slow-stdin: the command's standard input is a pipe that gets the first
half of FILE, then (SECS later) the rest. Exits with the command's exit code.
"""
import argparse
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--stderr-file")
    ap.add_argument("--stdout-file")
    ap.add_argument("--slow-stdin", nargs=2)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, a.cols, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST  # no \n -> \r\n
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    err = open(a.stderr_file, "wb") if a.stderr_file else slave
    out_to = open(a.stdout_file, "wb") if a.stdout_file else slave
    stdin = subprocess.PIPE if a.slow_stdin else subprocess.DEVNULL
    p = subprocess.Popen(cmd, stdin=stdin, stdout=out_to, stderr=err, close_fds=True)
    os.close(slave)
    feeder = None
    if a.slow_stdin:
        data = open(a.slow_stdin[0], "rb").read()
        delay = float(a.slow_stdin[1])

        def feed():
            half = len(data) // 2
            p.stdin.write(data[:half])
            p.stdin.flush()
            time.sleep(delay)
            p.stdin.write(data[half:])
            p.stdin.close()

        feeder = threading.Thread(target=feed)
        feeder.start()
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the last holder of the terminal has closed it
            break
        if not chunk:
            break
        out += chunk
    rc = p.wait()
    if feeder:
        feeder.join()
    sys.stdout.buffer.write(out)
    sys.exit(rc)


if __name__ == "__main__":
    main()
