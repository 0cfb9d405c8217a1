"""Telling people: the outbox and its channels (e-mail, Zalo OA, SMS, console), with retries,
backoff and rates per channel.
"""
