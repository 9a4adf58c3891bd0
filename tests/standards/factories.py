"""Factories of the standards: a methodology with a version and its content, templates,
project assignments, tailoring, evidence, change requests, tool evaluations."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.core.models import Stage
from standards.models import (
    BestPracticeSource,
    ChangeRequest,
    DocumentTemplate,
    LifecycleGate,
    LifecyclePhase,
    Methodology,
    MethodologyVersion,
    Process,
    ProcessStep,
    RequiredDeliverable,
    Suggestion,
    ToolCandidate,
    ToolCriterion,
    ToolEvaluation,
)
from tests.core.factories import ProjectTypeFactory


def docx_bytes(text: str = "项目章程") -> bytes:
    """A minimal Word document: a zip with the content types and the main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<document>{text}</document>")
    return buffer.getvalue()


def docx_upload(name: str = "charter.docx", text: str = "项目章程") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(text))


def pdf_upload(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BestPracticeSource

    code = factory.Sequence(lambda n: f"SRC-{n}")
    name = factory.Sequence(lambda n: f"参考标准{n}")
    name_en = factory.Sequence(lambda n: f"Reference {n}")
    adoption = BestPracticeSource.Adoption.ADOPTED


class MethodologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Methodology

    code = factory.Sequence(lambda n: f"M{n}")
    name = factory.Sequence(lambda n: f"项目管理方法{n}")
    name_en = factory.Sequence(lambda n: f"Method {n}")
    project_type = None


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MethodologyVersion

    methodology = factory.SubFactory(MethodologyFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = MethodologyVersion.Status.DRAFT


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifecyclePhase

    version = factory.SubFactory(VersionFactory)
    code = factory.Sequence(lambda n: f"PH{n}")
    name = factory.Sequence(lambda n: f"阶段{n}")
    name_en = factory.Sequence(lambda n: f"Phase {n}")
    sort_order = factory.Sequence(lambda n: n)


class GateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifecycleGate

    phase = factory.SubFactory(PhaseFactory)
    version = factory.SelfAttribute("phase.version")
    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"关口{n}")
    name_en = factory.Sequence(lambda n: f"Gate {n}")
    sort_order = factory.Sequence(lambda n: n)
    due_stage = Stage.ACTIVE


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    phase = factory.SubFactory(PhaseFactory)
    version = factory.SelfAttribute("phase.version")
    code = factory.Sequence(lambda n: f"PR{n}")
    name = factory.Sequence(lambda n: f"过程{n}")
    name_en = factory.Sequence(lambda n: f"Process {n}")
    owner_responsibility = "项目经理"


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"步骤{n}")
    responsibility = "项目经理"


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentTemplate

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"模板{n}")
    name_en = factory.Sequence(lambda n: f"Template {n}")


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDeliverable

    gate = factory.SubFactory(GateFactory)
    version = factory.SelfAttribute("gate.version")
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"交付物{n}")
    name_en = factory.Sequence(lambda n: f"Deliverable {n}")
    sort_order = factory.Sequence(lambda n: n)


def published_methodology(project_type=None, *, optional=1, required=2, status="published"):
    """A methodology with one version: two phases, a gate at the end of each (the first
    due at approval, the second at closing), a process per phase producing the gate's
    deliverables; the first gate's last ``optional`` deliverables are optional."""
    if project_type is None:
        code = f"type{MethodologyVersion.objects.count()}"
        project_type = ProjectTypeFactory(code=code, name=code, name_en=code)
    methodology = MethodologyFactory(project_type=project_type)
    version = VersionFactory(methodology=methodology, number=1, status=status)
    start = PhaseFactory(
        version=version, code="INIT", name="立项", name_en="Initiation", sort_order=1
    )
    close = PhaseFactory(
        version=version, code="CLOSE", name="收尾", name_en="Closing", sort_order=2
    )
    g1 = GateFactory(
        phase=start,
        code="G1",
        name="立项决策",
        name_en="Go decision",
        due_stage=Stage.APPROVED,
        position_percent=0,
        sort_order=1,
    )
    g2 = GateFactory(
        phase=close,
        code="G2",
        name="验收",
        name_en="Acceptance",
        due_stage=Stage.CLOSING,
        position_percent=100,
        sort_order=2,
    )
    p1 = ProcessFactory(
        phase=start, code="P-INIT", name="立项管理", name_en="Initiation management"
    )
    p2 = ProcessFactory(phase=close, code="P-CLOSE", name="收尾管理", name_en="Closing management")
    StepFactory(process=p1, name="编制章程", sort_order=1)
    StepFactory(process=p2, name="组织验收", sort_order=1)
    items = []
    for i in range(required + optional):
        items.append(
            DeliverableFactory(
                gate=g1,
                process=p1,
                code=f"D1-{i}",
                name=f"立项文件{i}",
                name_en=f"Initiation document {i}",
                is_optional=i >= required,
                sort_order=i,
            )
        )
    items.append(
        DeliverableFactory(
            gate=g2, process=p2, code="D2-0", name="验收报告", name_en="Acceptance report"
        )
    )
    return version


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    methodology = factory.SubFactory(MethodologyFactory)
    title = factory.Sequence(lambda n: f"变更请求{n}")
    description = "简化立项文件"


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    title = factory.Sequence(lambda n: f"建议{n}")
    description = "增加移动端周报填报"
    area = Suggestion.Area.STATUS


class ToolEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolEvaluation

    title = factory.Sequence(lambda n: f"项目管理软件选型{n}")


class ToolCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolCriterion

    evaluation = factory.SubFactory(ToolEvaluationFactory)
    name = factory.Sequence(lambda n: f"标准{n}")
    weight = 50


class ToolCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolCandidate

    evaluation = factory.SubFactory(ToolEvaluationFactory)
    name = factory.Sequence(lambda n: f"软件{n}")
