import time
from pathlib import Path

from assignments.notice import notice_docx, notice_of, notice_pdf
from assignments.models import AssignmentPlan, PlanAmendment
from tests.assignments.test_notice import make_plan


def test_look(tree, staff):
    plan = make_plan(tree.root, cadres=61, cells=101)
    PlanAmendment.objects.create(
        plan=plan, sequence=1, reason="Bổ sung đồng chí Lê Văn Mới", created_by=staff
    )
    out = Path("/tmp/notice_out")
    t = time.perf_counter()
    n = notice_of(plan)
    print("data", time.perf_counter() - t)
    t = time.perf_counter()
    import weasyprint

    print("import", time.perf_counter() - t)
    t = time.perf_counter()
    notice_pdf(n)
    print("pdf1", time.perf_counter() - t)
    t = time.perf_counter()
    out.joinpath("n.pdf").write_bytes(notice_pdf(n))
    print("pdf", time.perf_counter() - t)
    t = time.perf_counter()
    out.joinpath("n.docx").write_bytes(notice_docx(n))
    print("docx", time.perf_counter() - t)
    plan.status = AssignmentPlan.Status.DRAFT
    plan.number = None
    plan.issued_on = None
    out.joinpath("d.pdf").write_bytes(notice_pdf(notice_of(plan)))


def test_html(tree, staff):
    from django.template.loader import render_to_string

    plan = make_plan(tree.root, cadres=61, cells=101)
    Path("/tmp/notice_out/n.html").write_text(
        render_to_string("assignments/notice_pdf.html", {"notice": notice_of(plan)})
    )
