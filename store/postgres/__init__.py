"""The PostgreSQL store (``--db postgresql://…``): the same interface as the TinyDB file, for
several front machines sharing one primary. Imported only when such a URL is given, so the file
store never loads psycopg."""
