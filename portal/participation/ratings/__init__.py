"""Ratings: "was this useful?" on every page and service, and citizens' satisfaction with a
service.
"""
