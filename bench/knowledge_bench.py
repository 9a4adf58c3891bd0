"""Speed of the global search over 100,000 knowledge items (see bench/README.md).

Usage: ``.venv/bin/python bench/knowledge_bench.py [--items N] [--runs N]`` with
``DATABASE_URL`` pointing at a migrated PostgreSQL database (``bench/run.sh`` migrates
``pmo_bench``). Generates N published lessons (once; a second run reuses them) whose
text is drawn from a vocabulary of Chinese project-management words and English
words, indexes them, then times the search as a team member (permission filtering on)
and as the PMO: two-character Chinese queries, a four-character phrase and an English
word. Exits 1 when the p95 of the two-character queries is 50 ms or more.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402

from knowledge.models import Lesson  # noqa: E402
from pmo.core import roles, search  # noqa: E402
from pmo.core.models import SearchEntry  # noqa: E402
from pmo.core.registry import registry  # noqa: E402

TARGET_MS = 50.0
PREFIX = "基准"
WORDS = [
    "项目",
    "风险",
    "进度",
    "成本",
    "质量",
    "采购",
    "合同",
    "验收",
    "需求",
    "变更",
    "接口",
    "联调",
    "测试",
    "上线",
    "数据",
    "迁移",
    "供应商",
    "设备",
    "安装",
    "调试",
    "评审",
    "里程碑",
    "计划",
    "预算",
    "资源",
    "人员",
    "沟通",
    "干系人",
    "用户",
    "培训",
    "运维",
    "交接",
    "文档",
    "归档",
    "审批",
    "决策",
    "立项",
    "可研",
    "方案",
    "设计",
    "开发",
    "集成",
    "部署",
    "切换",
    "回退",
    "演练",
    "问题",
    "整改",
    "延期",
    "超支",
    "返工",
    "协调",
    "会议",
    "周报",
    "月报",
    "指标",
    "偏差",
    "预警",
    "升级",
    "授权",
    "职责",
    "团队",
    "经验",
    "教训",
    "案例",
    "知识",
    "模板",
    "流程",
    "制度",
    "标准",
    "规范",
    "工期",
    "施工",
    "图纸",
    "材料",
    "安全",
    "环保",
    "厂房",
    "产线",
    "样机",
    "量产",
    "工艺",
    "专利",
    "市场",
    "推广",
    "渠道",
    "品牌",
    "客户",
    "管理",
    "控制",
    "监督",
    "考核",
    "改进",
    "优化",
    "复盘",
    "总结",
    "分享",
]
ENGLISH = [
    "risk",
    "schedule",
    "cost",
    "quality",
    "vendor",
    "interface",
    "testing",
    "migration",
    "review",
    "budget",
    "scope",
]
QUERIES_2 = ["风险", "进度", "采购", "接口", "验收", "供应", "迁移", "评审", "预算", "演练"]
QUERIES_LONG = ["风险管理", "数据迁移", "供应商评审"]
QUERIES_EN = ["risk", "migration"]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(ENGLISH))
    return "".join(w if not w.isascii() else f" {w} " for w in words) + "。"


def generate(items: int, seed: int) -> None:
    have = Lesson.objects.filter(title__startswith=PREFIX).count()
    if have >= items:
        print(f"{have} generated lessons already there")
        return
    rng = random.Random(seed)
    started = time.monotonic()
    batch = []
    for i in range(have, items):
        batch.append(
            Lesson(
                title=f"{PREFIX}{i:06d} " + sentence(rng, 4),
                description=" ".join(sentence(rng, rng.randint(8, 20)) for _ in range(3)),
                recommendation=sentence(rng, 10),
                phase=rng.choice(["initiation", "planning", "execution", "closing"]),
                knowledge_area=rng.choice(["risk", "schedule", "cost", "quality", "scope"]),
                polarity=rng.choice(["positive", "negative"]),
                root_cause="process",
                impact="schedule",
                status="published",
                confidentiality="confidential" if rng.random() < 0.1 else "internal",
            )
        )
        if len(batch) == 5000:
            Lesson.objects.bulk_create(batch)
            batch = []
    Lesson.objects.bulk_create(batch)
    print(f"{items - have} lessons generated in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    n = search.rebuild(["lessons"])
    print(f"{n} lesson entries indexed in {time.monotonic() - started:.1f} s")


def bench_user(name: str, group: str):
    user, _ = get_user_model().objects.get_or_create(username=name)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return get_user_model().objects.get(pk=user.pk)


def timed(user, queries: list[str], runs: int) -> list[float]:
    kinds = [s.key for s in registry.searchables.values() if s.indexed]
    out = []
    for i in range(runs):
        query = queries[i % len(queries)]
        started = time.perf_counter()
        search.find(user, query, kinds, 20)
        out.append((time.perf_counter() - started) * 1000)
    return out


def report(label: str, ms: list[float]) -> float:
    ms = sorted(ms)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    print(
        f"{label:<48} p50 {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms"
    )
    return p95


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("the search benchmark needs PostgreSQL (DATABASE_URL)", file=sys.stderr)
        return 2
    generate(args.items, args.seed)
    entries = SearchEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_searchentry")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('core_searchentry'))")
        size = cursor.fetchone()[0]
    print(f"index: {entries} entries, {size} with indexes")
    member = bench_user("bench_member", roles.MEMBER)
    pmo = bench_user("bench_pmo", roles.PMO_STAFF)
    for user in (member, pmo):  # warm the caches
        timed(user, QUERIES_2, 20)
    worst = 0.0
    for who, user in (("member", member), ("PMO", pmo)):
        worst = max(
            worst, report(f"2-character Chinese, as {who}", timed(user, QUERIES_2, args.runs))
        )
        report(f"longer Chinese phrase, as {who}", timed(user, QUERIES_LONG, args.runs // 2))
        report(f"English word, as {who}", timed(user, QUERIES_EN, args.runs // 2))
    verdict = "ok" if worst < TARGET_MS else "MISSED"
    print(f"p95 of 2-character queries {worst:.1f} ms (target < {TARGET_MS:.0f} ms): {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
