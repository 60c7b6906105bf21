"""Re-encrypt every referral field under the first key of REFERRALS_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from referrals.attachments import attachments_rotate
from referrals.crypto import EncryptedTextField, rotate
from referrals.exports import exports_rotate

# Rotation works on the stored tokens (MultiFernet.rotate): nothing is decrypted into Python
# objects, saved through models or logged, and rows are locked one batch at a time.
BATCH = 500


def encrypted_columns():
    from django.apps import apps

    config = apps.get_app_config("referrals")
    for model in config.get_models():
        columns = [
            field.column
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if columns:
            yield model._meta.db_table, model._meta.pk.column, columns


def rotate_all():
    """Rotate every token; returns the number of rows rewritten."""
    rewritten = 0
    quote = connection.ops.quote_name
    for table, pk, columns in encrypted_columns():
        select = ", ".join(quote(c) for c in [pk, *columns])
        last = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {quote(pk)} > %s " if last is not None else ""
                lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
                # Table and column names come from the models (quoted), never from input.
                cursor.execute(
                    f"SELECT {select} FROM {quote(table)} {where}"  # noqa: S608
                    f"ORDER BY {quote(pk)} LIMIT {BATCH}{lock}",
                    [last] if last is not None else [],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                for row in rows:
                    values = [rotate(v) if v else v for v in row[1:]]
                    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",  # noqa: S608
                        [*values, row[0]],
                    )
                    rewritten += 1
                last = rows[-1][0]
    # Attachments: each blob re-encrypted into a new stored file, the old blob deleted.
    return rewritten + attachments_rotate() + exports_rotate()


class Command(BaseCommand):
    help = "Re-encrypt referral data under the first key of REFERRALS_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        count = rotate_all()
        self.stdout.write(f"Re-encrypted {count} rows and files under the first key.")
