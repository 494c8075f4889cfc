"""AI-use disclosures: the form and its validation, chat-export parsers, survey import, crosscheck.

Evidence is always a comparison a person can inspect (against the student's own declared
transcripts, other students' prompts, and AI reference solutions), never a detector's score.
"""
