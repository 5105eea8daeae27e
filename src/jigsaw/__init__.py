"""Jigsaw: putting together the pieces of the safeguarding jigsaw."""
