"""StdoutTee: passes the program's stdout through unchanged and copies it into `print` events."""


class StdoutTee:
    """Stands in for `sys.stdout`: every write goes to the real stream first, then to the trace."""

    def __init__(self, target, writer):
        self.target = target
        self._writer = writer

    def write(self, text):
        written = self.target.write(text)
        self._writer.printed(text)
        return written

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self.target, name)
