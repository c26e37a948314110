#!/usr/bin/python3
"""Writes the DOCX fixtures of importer's tests with python-docx (Debian's
python3-docx), laid out unlike govreport's own DOCX: the title in a
one-cell heading table, headings as bold body paragraphs, other column
widths, merges made by python-docx (gridSpan, vMerge) and one in Word's
legacy way (hMerge), a table inside the prose, a label missing a
character. word-python-docx-variants.docx is the same document with the
variants agencies publish in their tables: blank count cells, "/" and
"—", blank totals, "3件" in a count, （六）其他处理 as one row, a label with
a wrong character, traditional characters. Run from this directory:
/usr/bin/python3 make-docx.py
"""
import datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt


def para(doc, text, bold=False, size=16, indent=True, align=None):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    r = p.add_run(text)
    r.font.size = Pt(size)
    r.bold = bold
    return p


def runin(doc, heading, text):
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    r = p.add_run(heading)
    r.bold = True
    p.add_run(text)


def grid(doc, rows, cols, widths):
    t = doc.add_table(rows=rows, cols=cols)
    t.style = "Table Grid"
    for i, w in enumerate(widths):
        for c in t.columns[i].cells:
            c.width = Cm(w)
    return t


def put(t, r, c, text):
    t.cell(r, c).text = str(text)


def hmerge(t, r, c0, c1, text):
    """Word's legacy horizontal merge: the cells stay, marked hMerge."""
    for c in range(c0, c1 + 1):
        tc = t.cell(r, c)._tc
        pr = tc.get_or_add_tcPr()
        m = OxmlElement("w:hMerge")
        if c == c0:
            m.set(qn("w:val"), "restart")
        pr.append(m)
    put(t, r, c0, text)


def build(variants=False):
    doc = Document()
    doc.core_properties.created = datetime.datetime(2025, 1, 20)
    head = doc.add_table(rows=1, cols=1)
    hp = head.cell(0, 0).paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    agency = "某区市场监督管理局" if variants else "某市生态环境局"
    hr = hp.add_run(agency + "2024年政府信息公开工作年度报告")
    hr.bold = True
    hr.font.size = Pt(22)

    para(doc, "本报告依据《中华人民共和国政府信息公开条例》编制，数据统计期限自2024年1月1日起至2024年12月31日止。")
    para(doc, "一、总体情况", bold=True, indent=False)
    runin(doc, "（一）主动公开情况。", "全年主动公开环境信息812条。")
    runin(doc, "（二）依申请公开情况。", "全年新收申请5件，上年结转1件。")
    para(doc, "二、主动公开政府信息情况", bold=True, indent=False)

    t2 = grid(doc, 14, 4, [5.0, 3.5, 3.5, 3.5])
    hmerge(t2, 0, 0, 3, "第二十条第（一）项")
    for c, h in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        put(t2, 1, c, h)
    for c, v in enumerate(["规章", "/", "—", "-"] if variants else ["规章", "/", "/", "/"]):
        put(t2, 2, c, v)
    for c, v in enumerate(["行政规范性文件", 1, 0, 6]):
        put(t2, 3, c, v)
    r = 4
    for sec, blocks in [("第二十条第（五）项", [("本年处理决定数量", ["行政许可"])]),
                        ("第二十条第（六）项", [("本年处理决定数量", ["行政处罚", "行政强制"])]),
                        ("第二十条第（八）项", [("本年收费金额（单位：万元）", ["行政事业性收费"])])]:
        t2.cell(r, 0).merge(t2.cell(r, 3)).text = sec
        r += 1
        for h, labels in blocks:
            put(t2, r, 0, "信息内容")
            t2.cell(r, 1).merge(t2.cell(r, 3)).text = h
            r += 1
            for l in labels:
                put(t2, r, 0, l)
                v = {"行政许可": 210, "行政处罚": 64, "行政强制": 2, "行政事业性收费": "0"}[l]
                if variants and l == "行政强制":
                    v = ""
                t2.cell(r, 1).merge(t2.cell(r, 3)).text = str(v)
                r += 1

    para(doc, "三、收到和处理政府信息公开申请情况", bold=True, indent=False)
    para(doc, "注：本表不含转办件。", indent=True)
    t3 = grid(doc, 26 if variants else 28, 10, [1.2, 2.0, 4.6, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.2])
    t3.cell(0, 0).merge(t3.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t3.cell(0, 3).merge(t3.cell(0, 9)).text = "申请人情况"
    t3.cell(1, 3).merge(t3.cell(2, 3)).text = "自然人"
    t3.cell(1, 4).merge(t3.cell(1, 8)).text = "法人或其他组织"
    t3.cell(1, 9).merge(t3.cell(2, 9)).text = "总计"
    for c, h in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        put(t3, 2, 4 + c, h)
    rows = [
        ("一、本年新收政府信息公开申请数量", None, [4, 1, 0, 0, 0, 0]),
        ("二、上年结转政府信息公开申请数量", None, [1, 0, 0, 0, 0, 0]),
    ]
    for i, (label, _, vals) in enumerate(rows):
        t3.cell(3 + i, 0).merge(t3.cell(3 + i, 2)).text = label
        for c, v in enumerate(vals + [sum(vals)]):
            put(t3, 3 + i, 3 + c, v)
    outcome = [
        (None, "（一）予以公开", [3, 1, 0, 0, 0, 0]),
        (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [0] * 6),
    ] + [("（三）不予公开", l, [0] * 6) for l in [
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]] + [
        ("（四）无法提供", "1.本机关不掌握相关政府信息", [1, 0, 0, 0, 0, 0]),
        ("（四）无法提供", "2.没有现成信息需要另行制作", [0] * 6),
        ("（四）无法提供", "3.补正后申请内容仍不明确", [0] * 6)] + [
        ("（五）不予处理", l, [0] * 6) for l in [
            "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获信息"]] + [
        ("（六）其他处理", l, [0] * 6) for l in [
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他"]] + [(None, "（七）总计", [4, 1, 0, 0, 0, 0])]
    if variants:
        # （六） as one row; a blank total, a blank count; a wrong
        # character; traditional characters
        outcome = [o for o in outcome if o[0] != "（六）其他处理"]
        outcome.insert(len(outcome) - 1, (None, "（六）其他处理", [0] * 6))
        fix = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
               "1.本机关不掌握相关政府信息": "1.本機關不掌握相關政府信息",
               "5.要求行政机关确认或重新出具已获信息": "5.要求行政机关确认或重新出具已获取信息"}
        outcome = [("（四）無法提供" if g == "（四）无法提供" else g, fix.get(l, l), v) for g, l, v in outcome]
    r0 = 5
    for i, (group, label, vals) in enumerate(outcome):
        r = r0 + i
        if group is None:
            t3.cell(r, 1).merge(t3.cell(r, 2)).text = label
        else:
            put(t3, r, 2, label)
        cells = vals + [sum(vals)]
        if variants and label == "（一）予以公开":
            cells[-1] = ""
        if variants and label == "1.属于国家秘密":
            cells[0] = ""
        for c, v in enumerate(cells):
            put(t3, r, 3 + c, v)
    t3.cell(r0, 0).merge(t3.cell(r0 + len(outcome) - 1, 0)).text = "三、本年度办理结果"
    start = None
    for i, (group, _, _) in enumerate(outcome + [(None, None, None)]):
        prev = outcome[i - 1][0] if i > 0 else None
        if group != prev:
            if prev is not None:
                t3.cell(r0 + start, 1).merge(t3.cell(r0 + i - 1, 1)).text = prev
            start = i
    last = r0 + len(outcome)
    t3.cell(last, 0).merge(t3.cell(last, 2)).text = "四、结转下年度继续办理"
    for c, v in enumerate([1, 0, 0, 0, 0, 0, 1]):
        put(t3, last, 3 + c, v)

    para(doc, "四、政府信息公开行政复议、行政诉讼情况", bold=True, indent=False)
    t4 = grid(doc, 4, 15, [1.0] * 15)
    t4.cell(0, 0).merge(t4.cell(0, 4)).text = "行政复议"
    t4.cell(0, 5).merge(t4.cell(0, 14)).text = "行政诉讼"
    for c, h in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]):
        t4.cell(1, c).merge(t4.cell(2, c)).text = h
    t4.cell(1, 5).merge(t4.cell(1, 9)).text = "未经复议直接起诉"
    t4.cell(1, 10).merge(t4.cell(1, 14)).text = "复议后起诉"
    for c, h in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2):
        put(t4, 2, 5 + c, h)
    for c, v in enumerate(["3件", 0, 0, 0, ""] + [0] * 10 if variants else [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]):
        put(t4, 3, c, v)

    para(doc, "五、存在的主要问题及改进情况", bold=True, indent=False)
    para(doc, "（一）存在的主要问题", indent=True)
    para(doc, "政策解读形式较为单一。")
    para(doc, "（二）改进措施", indent=True)
    para(doc, "丰富图解、视频等解读形式。")
    para(doc, "六、其他需要报告的事项", bold=True, indent=False)
    para(doc, "本机关2024年未收取信息处理费。")
    inner = doc.add_table(rows=1, cols=2)
    inner.style = "Table Grid"
    put(inner, 0, 0, "政务公开工作要点")
    put(inner, 0, 1, "已全部落实")
    para(doc, agency, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "2025年1月20日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.save("word-python-docx-variants.docx" if variants else "word-python-docx.docx")


if __name__ == "__main__":
    build()
    build(variants=True)
