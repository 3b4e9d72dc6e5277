"""A hand-built document that uses every node type, for renderer tests."""
from briefgen.document import (BlockQuote, BulletList, Callout, Code, CodeBlock, Document,
                               DocumentInfo, Emph, Heading, HorizontalRule, LineBreak, Link,
                               ListItem, OrderedList, Paragraph, Strike, Strong, Table, TableCell,
                               Text)


def para(*parts, line=0):
    return Paragraph([Text(p) if isinstance(p, str) else p for p in parts], line=line)


def cell(text, align=""):
    return TableCell([Text(text)], align)


def sample_document(marking="TLP:AMBER", rows=3, paragraphs=1) -> Document:
    info = DocumentInfo(title="Afghanistan & Central Asia <b>security</b>",
                        subtitle="Regional responses since 2021", date="1 October 2024",
                        organisation="Desk & Co", authors=["A. Analyst", "Б. Аналитик"],
                        marking=marking, brief_id="sample")
    body = [
        Callout("titleblock", [
            Heading(1, [Text(info.title)], "title", line=1),
            para(Emph([Text(info.subtitle)])),
            para(Strong([Text("Issued:")]), " 1 October 2024", LineBreak(),
                 Strong([Text("Audience:")]), " Policy staff"),
        ], line=1),
        Callout("bluf", [para("Bottom line: the ", Strong([Text("Taliban")]),
                              " cannot contain ISKP & its allies.")], line=8),
        Heading(2, [Text("Key judgments")], "key-judgments", line=10),
        Callout("judgment", [para(Strong([Text("Very likely (80–95%)")]), " · moderate confidence"),
                             para("ISKP will attempt attacks in Central Asia.")], line=11),
        Heading(2, [Text("Developments")], "developments", line=14),
        Heading(3, [Text("15 August 2021 — Taliban take Kabul")], "15-august-2021", line=15),
        para("Plain, ", Emph([Text("italic")]), ", ", Strong([Text("bold")]), ", ",
             Strong([Emph([Text("both")])]), ", ", Strike([Text("struck")]), ", ",
             Code("code()"), ", a ", Link("https://example.org/a?b=1&c=2", [Text("link")]),
             ", raw <font color='red'>html</font> & <b>tags</b> stay literal.", line=16),
        para("Cyrillic: Организация Договора о коллективной безопасности (ОДКБ); "
             "Greek: Ελληνικά; Latin-extended: Tоҷикистон, Oʻzbekiston, Łódź.", line=17),
        para("Long word: " + "x" * 400, line=18),
        BulletList([ListItem([para("first bullet")]),
                    ListItem([para("second bullet"),
                              BulletList([ListItem([para("nested bullet")])])])], line=19),
        OrderedList([ListItem([para("first step")]), ListItem([para("second step")])],
                    start=1, line=23),
        OrderedList([ListItem([para("restarts at three")]), ListItem([para("four")])],
                    start=3, line=26),
        Table([cell("Actor"), cell("Kind"), cell("Since", "right")],
              [[cell(f"Actor {i} & <x>"), cell("state"), cell(str(2000 + i), "right")]
               for i in range(rows)], line=29),
        BlockQuote([para("A quoted statement.")], line=34),
        Callout("note", [para("A note callout.")], line=36),
        Callout("warning", [para("A warning callout.")], line=38),
        CodeBlock("line one\n  line two <tag> & more", line=40),
        HorizontalRule(line=43),
    ]
    body += [para(f"Filler paragraph {i}. " + "Lorem ipsum dolor sit amet. " * 12)
             for i in range(paragraphs)]
    return Document(info, body)
