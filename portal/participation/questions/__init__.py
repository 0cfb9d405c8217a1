"""Questions and feedback (hỏi đáp, phản ánh, kiến nghị): asked by citizens, tracked by code,
answered by staff, published without personal data.
"""
