from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with small costs, so that tests creating many agents stay quick.
    Production uses Django's Argon2 settings (test_passwords checks)."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1
