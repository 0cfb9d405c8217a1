"""Drafts open for public comment (lấy ý kiến dự thảo): comments per section, moderated, summarised
for the drafting agency.
"""
