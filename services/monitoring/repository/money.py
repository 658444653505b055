"""The rate table and the receipts (services/monitoring/documents.py): the only module that queries them."""
from __future__ import annotations

from datetime import date, datetime

from services.monitoring.documents import CurrencyRate, Receipt
from shared.store import to_date


def _rate(doc) -> dict:
    return {"currency": doc.currency, "units_per_eur": doc.units_per_eur, "valid_from": to_date(doc.valid_from)}


class RateRepository:
    def all(self) -> list[dict]:
        return [_rate(doc) for doc in CurrencyRate.objects.order_by("currency", "valid_from")]

    def stamp(self) -> tuple[datetime | None, str | None]:
        """When the table was last replaced, and by whom."""
        doc = CurrencyRate.objects.order_by("-updated_at").first()
        return (doc.updated_at, doc.updated_by) if doc else (None, None)

    def replace(self, rates: list[dict], at: datetime, by: str) -> None:
        """The whole table becomes `rates` (written first, then the rows no longer in it are removed)."""
        ids = []
        for rate in rates:
            day: date = rate["valid_from"]
            ids.append(f"{rate['currency']}:{day.isoformat()}")
            CurrencyRate(id=ids[-1], currency=rate["currency"], units_per_eur=rate["units_per_eur"],
                         valid_from=day, updated_at=at, updated_by=by).save()
        CurrencyRate.objects(id__nin=ids).delete()


def _receipt(doc) -> dict:
    return {"returnee_id": doc.returnee_id, "checkin_id": doc.checkin_id, "index": doc.index,
            "content_type": doc.content_type, "size": doc.size, "uploaded_at": doc.uploaded_at,
            "partner_id": doc.partner_id}


def receipt_id(returnee_id: str, checkin_id: str, index: int) -> str:
    return f"{returnee_id}:{checkin_id}:{index}"


class ReceiptRepository:
    def put(self, receipt: dict, body: bytes) -> dict:
        """Store (or replace) the receipt of one support line."""
        key = receipt_id(receipt["returnee_id"], receipt["checkin_id"], receipt["index"])
        old = Receipt.objects(id=key).first()
        if old is not None:
            old.file.delete()
            old.delete()
        doc = Receipt(id=key, **{k: receipt[k] for k in ("returnee_id", "partner_id", "checkin_id", "index",
                                                        "content_type", "uploaded_at", "uploaded_by")},
                      size=len(body))
        doc.file.put(body, content_type=receipt["content_type"])
        doc.save()
        return _receipt(doc)

    def get(self, returnee_id: str, checkin_id: str, index: int) -> tuple[dict, bytes] | None:
        doc = Receipt.objects(id=receipt_id(returnee_id, checkin_id, index)).first()
        return (_receipt(doc), doc.file.read()) if doc else None

    def of_case(self, returnee_id: str) -> list[dict]:
        """The receipts attached to one returnee's support lines (what and when, not the files), in order."""
        docs = Receipt.objects(returnee_id=returnee_id).exclude("file")
        return sorted((_receipt(doc) for doc in docs), key=lambda r: (r["checkin_id"], r["index"]))

    def erase(self, returnee_id: str) -> None:
        for doc in Receipt.objects(returnee_id=returnee_id):
            doc.file.delete()
            doc.delete()
