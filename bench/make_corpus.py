"""Deterministic synthetic corpora of Chinese environmental-policy documents.

    python bench/make_corpus.py --docs 1000 --seed 1 --out /tmp/corpus

Documents vary place (province / prefecture / county names built from
syllables), level, departments (extract/data/bodies.tsv), clause layouts
(一、 parts with （一） items; 第X章/第X节 with headed paragraphs; headed
measures; 附表 tab tables), instruments, responsibility phrasings and
reporting lines. Each is about 5-20 KB of UTF-8.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "extract" / "data"
SYL = list("安宝昌长成德东丰福广海汉和华怀嘉建江金靖乐临龙隆茂宁平清庆瑞山胜泰通文武西祥新兴阳永玉云章肇中")
NUM = "一二三四五六七八九十"
FALLBACK_DEPTS = ["生态环境局", "发展改革委", "工业和信息化局", "公安局", "财政局", "自然资源局", "住房城乡建设局",
                  "交通运输局", "水利局", "农业农村局", "市场监管局", "林业局", "卫生健康委", "应急管理局"]
FALLBACK_INSTR = ["排污许可", "环境影响评价", "生态补偿", "河长制", "环境信用评价", "排污权交易", "环境保护税",
                  "生态环境损害赔偿", "清洁生产审核", "碳排放权交易"]
ACTIONS = ["加强", "推进", "完善", "健全", "强化", "落实", "深化", "严格"]
TOPICS = ["大气污染防治", "水污染治理", "土壤污染风险管控", "固体废物处置", "农业面源污染治理", "重点行业清洁生产",
          "饮用水水源地保护", "工业园区污水集中处理", "机动车尾气监管", "扬尘污染控制", "危险废物监管", "生态保护修复",
          "环境监测网络建设", "环境执法能力建设", "企业环境信息公开", "生态环境宣传教育"]
FILL = ["按照统一部署，结合本地实际，制定具体工作方案，明确时间表和路线图。", "建立定期调度机制，及时研究解决工作推进中的重大问题。",
        "加大资金投入力度，统筹用好各类专项资金，确保各项任务落到实处。", "强化监督检查，对工作不力的单位和个人依法依规严肃问责。",
        "充分发挥社会监督作用，畅通公众参与渠道，营造全社会共同参与的良好氛围。", "到2025年，主要污染物排放总量持续减少，生态环境质量持续改善。"]


def _tsv_names(name: str, col: int = 0) -> list[str]:
    p = DATA / name
    if not p.exists():
        return []
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] in ("name", "header", "concept"):
            continue
        out.append(cells[col].strip())
    return out


def departments() -> list[str]:
    names = [n for n in _tsv_names("bodies.tsv") if n.endswith(("局", "委", "厅", "办", "委员会", "部门", "中心"))]
    return names or FALLBACK_DEPTS


def instruments() -> list[str]:
    return _tsv_names("instruments.tsv") or FALLBACK_INSTR


def place(rng: random.Random) -> tuple[str, str, str]:
    prov = "".join(rng.sample(SYL, 2)) + "省"
    city = "".join(rng.sample(SYL, 2)) + "市"
    county = "".join(rng.sample(SYL, 2)) + rng.choice(["县", "区"])
    return prov, city, county


def cn(n: int) -> str:
    return NUM[n - 1] if n <= 10 else "十" + NUM[n - 11]


class Doc:
    def __init__(self, rng: random.Random, i: int, depts: list[str], instr: list[str]):
        self.rng, self.i, self.depts, self.instr = rng, i, depts, instr
        prov, city, county = place(rng)
        self.level = rng.choice(["province", "city", "county"])
        self.place = {"province": prov, "city": city, "county": county}[self.level]
        self.pre = {"province": "省", "city": "市", "county": "县"}[self.level]

    def dept(self) -> str:
        return self.pre + self.rng.choice(self.depts)

    def depts_list(self, k: int) -> str:
        return "、".join(dict.fromkeys(self.dept() for _ in range(k)))

    def measure(self) -> tuple[str, str]:
        r = self.rng
        head = r.choice(ACTIONS) + r.choice(TOPICS)
        body = f"{r.choice(FILL)}全面推行{r.choice(self.instr)}制度，{r.choice(FILL)}"
        style = r.randrange(6)
        if style == 0:
            body += f"（责任单位：{self.depts_list(r.randint(1, 3))}）"
        elif style == 1:
            body += f"（{self.depts_list(r.randint(1, 3))}按职责分工负责）"
        elif style == 2:
            body = f"{self.dept()}牵头，{self.depts_list(r.randint(1, 2))}配合。" + body
        elif style == 3:
            body = f"{self.dept()}要{r.choice(ACTIONS)}{r.choice(TOPICS)}，" + body
        elif style == 4:
            body += f"各{'市' if self.level == 'province' else '乡镇'}人民政府要于每年年底前向{self.place}人民政府报告工作进展情况。"
        if r.random() < 0.3:
            body += f"{r.randint(2024, 2027)}年{r.randint(1, 12)}月底前完成。"
        return head, body

    def text(self) -> str:
        r = self.rng
        title = f"{self.place}关于{r.choice(ACTIONS)}{r.choice(TOPICS)}的实施方案"
        lines = [f"{self.place}人民政府办公室关于印发{title[len(self.place):]}的通知",
                 f"{self.pre}政办发〔{r.randint(2018, 2024)}〕{r.randint(1, 120)}号",
                 "各有关单位：", f"现将《{title}》印发给你们，请认真贯彻落实。",
                 f"{self.place}人民政府办公室", f"{r.randint(2018, 2024)}年{r.randint(1, 12)}月{r.randint(1, 28)}日", title]
        if r.random() < 0.3:
            lines.append(f"以下各项任务均需{self.depts_list(2)}落实，不再列出。")
        layout = r.randrange(4)
        n_parts = r.randint(3, 7)
        if layout == 0:  # 一、 parts with （一） items
            for p in range(1, n_parts + 1):
                lines.append(f"{cn(p)}、{r.choice(['主要任务', '重点工作', '保障措施', '总体要求'])}")
                for k in range(1, r.randint(2, 6) + 1):
                    h, b = self.measure()
                    lines.append(f"（{cn(k)}）{h}。{b}")
        elif layout == 1:  # chapters and sections with headed paragraphs
            for p in range(1, n_parts + 1):
                lines.append(f"第{cn(p)}章　{r.choice(TOPICS)}")
                for s in range(1, r.randint(1, 3) + 1):
                    lines.append(f"第{cn(s)}节　{r.choice(ACTIONS)}{r.choice(TOPICS)}")
                    for _ in range(r.randint(1, 3)):
                        h, b = self.measure()
                        lines.append(f"{h}。{b}")
        elif layout == 2:  # numbered headed measures
            for k in range(1, n_parts * 3 + 1):
                h, b = self.measure()
                lines.append(f"{k}.{h}。{b}")
        else:  # a short text and a 附表 table of measures
            h, b = self.measure()
            lines.append(f"一、总体要求\n{b}")
            lines.append("附表：重点任务清单")
            lines.append("序号\t重点任务\t牵头单位\t配合单位\t完成时限")
            for k in range(1, n_parts * 4 + 1):
                h, _ = self.measure()
                lines.append(f"{k}\t{h}\t{self.dept()}\t{self.depts_list(2)}\t{r.randint(2024, 2027)}年底")
        lines.append(f"{self.place}生态环境保护委员会办公室要加强统筹协调，定期向{self.place}人民政府报告。")
        return "\n".join(lines) + "\n"


def make_corpus(n: int, seed: int, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    depts, instr = departments(), instruments()
    paths = []
    for i in range(n):
        doc = Doc(random.Random(rng.getrandbits(64)), i, depts, instr)
        text = doc.text()
        while len(text.encode("utf-8")) < 5000:  # pad short documents with more measures
            h, b = doc.measure()
            text += f"{h}。{b}\n"
        text = text.encode("utf-8")[:20000].decode("utf-8", "ignore")
        p = out / f"syn_{seed}_{i:05d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    paths = make_corpus(a.docs, a.seed, a.out)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents, {size / 1e6:.1f} MB, to {a.out}")


if __name__ == "__main__":
    main()
