"""Demo Terms of Reference: one amendment before the network; the yearly review left pending.

(The decisions demo has its own "Amendment of the Terms of Reference" decision, about meeting
frequency, drafted in the register directly; this one goes through the amendment pages.)
"""

from datetime import timedelta

from django.utils import timezone

from . import selectors, services
from .models import Amendment

CO_CHAIR = "iom.focal@example.org"
TITLE = "Data protection in case referrals"


def seed(context):
    if Amendment.objects.filter(title=TITLE).exists():
        return
    chair = context.person(CO_CHAIR)
    current = selectors.current_version()
    text = current.text.replace(
        "with the aim of provision of appropriate assistance.",
        "with the aim of provision of appropriate assistance, with the informed consent of the "
        "persons concerned and in line with data protection and confidentiality principles.",
    ).replace(
        "The Network will report on its progress and activities to the RC",
        "The Network will report in writing on its progress and activities to the RC",
    )
    amendment = services.amendment_create(
        title=TITLE,
        summary=(
            "Objective 6 states that referrals need the informed consent of the person and "
            "follow data protection principles; progress reports to the RC are given in writing."
        ),
        text=text,
        by=chair,
    )
    services.amendment_propose(
        amendment=amendment,
        by=chair,
        procedure="written",
        deadline=timezone.now() + timedelta(days=14),
    )
    context.log.append(f"Terms of Reference: version {current.number}; amendment «{TITLE}» open.")
