"""PostgreSQL, with a health check that costs no round trip while the connection is quiet.

Connections are kept open between requests (``CONN_MAX_AGE``) and checked at each request's
first query (``CONN_HEALTH_CHECKS``), so that a restarted server or a connection the server
closed is replaced instead of failing the request. Django checks with ``SELECT 1``: a round trip
and a statement for the server on every request, about a tenth of a check-in's work.

A connection at rest has nothing to read: the server writes to it only to answer, or, when it
ends the connection (a restart, ``pg_terminate_backend``, an idle timeout), to say why before it
closes the socket. So a quiet socket is a usable connection, and a readable one is checked the
old way, which reads what arrived and fails if the server has gone. A connection whose peer
vanished without a word (a cable pulled) looks quiet to both checks until TCP gives up.
"""

import select
import time

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status == pq.TransactionStatus.IDLE:
            try:
                readable, _, _ = select.select([pgconn.socket], [], [], 0)
            except (OSError, ValueError):
                return False
            if not readable:
                return True
        return super().is_usable()

    def execute_prepared(self, sql, params):
        """Run one statement with parameters bound by the server; its first row, or None.

        For the busiest statements (a check-in): the server parses and plans the statement
        once per connection and then only runs it, and the values travel as they are instead of
        being quoted into the text. Django's cursors bind on the client, which suits the ORM's
        varied queries. Logged like any query when queries are logged (DEBUG, tests).
        """
        self.close_if_health_check_failed()
        self.ensure_connection()
        self.validate_thread_sharing()
        start = time.monotonic()
        with self.wrap_database_errors, psycopg.Cursor(self.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            row = cursor.fetchone() if cursor.description else None
        if self.queries_logged:
            self.queries_log.append(
                {"sql": f"EXECUTE {sql}", "time": f"{time.monotonic() - start:.3f}"}
            )
        return row
