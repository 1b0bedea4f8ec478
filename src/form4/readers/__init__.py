"""Readers: bytes of one input form in, a Filing out."""
