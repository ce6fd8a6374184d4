"""A quick password hash for the test process only.

Django's PBKDF2 takes over a second of CPU per password at its default iterations, and the
suite makes a user (and signs one in) in most tests. This hasher keeps the same algorithm name
with few iterations: the count is stored in each hash, so the server and worker processes tests
start (with the real settings) still check these passwords, and would only rehash them.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
