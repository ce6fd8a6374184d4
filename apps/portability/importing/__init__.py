"""Importing contacts from a file, one step per module.

jobs      the job's life: upload, columns, preview, confirm, run, discard
reading   the stored file back as a stream of records
cleaning  one record into the fields of a contact, or the reason it is skipped
matching  which of the user's contacts and organizations a row already is
planning  what each row does (new, updated, unchanged), without writing
writing   saving a batch's plan
importer  one run over a job's rows, batch by batch, with counts, samples and progress
"""
