"""Tokens changed the way an attacker would, for tests that must see them refused."""


def tampered(token: str) -> str:
    """``token`` with one signature character changed, well inside the signature.

    The last base64 character carries padding bits, so changing only the end of
    a token can leave its bytes, and so its signature, as they were.
    """
    at = len(token) - 10
    return token[:at] + ("B" if token[at] == "A" else "A") + token[at + 1:]
