"""Logging filters."""

import logging


class OneLineWarning(logging.Filter):
    """A record turned into one WARNING line without its traceback: for expected noise such as
    bad Host headers from scanners, which Django logs as an ERROR with a full traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
