"""A hand-built document that uses every node type, for renderer tests."""
from briefgen.document.nodes import (BlockQuote, BulletList, Callout, Code, CodeBlock, Document,
                                     DocumentInfo, Emph, Heading, HorizontalRule, LineBreak, Link,
                                     ListItem, OrderedList, Paragraph, Strike, Strong, Table,
                                     TableCell, Text)


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


def print_document(marking="TLP:AMBER", copy=None, watermark="", sections=6) -> Document:
    """A brief as the built-in templates produce it: cover, contents, citations, figures, notes."""
    import datetime as dt

    from briefgen.document.nodes import (Contents, CopyInfo, Figure, MapEdge, MapNode, Note,
                                         NotesList, NoteRef, PageBreak, RelationMapData,
                                         TimelineData, TimelineEvent)
    info = DocumentInfo(title="Afghanistan and Central Asian Security after 2021",
                        subtitle="Regional responses since 2021", date="1 October 2024",
                        organisation="Desk & Co", authors=["A. Analyst", "Б. Аналитик"],
                        marking=marking, brief_id="print", audience="Senior officials",
                        short_title="Central Asian security",
                        copy=CopyInfo(*copy) if copy else None, watermark=watermark,
                        keywords=["Afghanistan", "Central Asia"])
    events = [TimelineEvent(dt.date(2021, 8, 1), dt.date(2021, 8, 31),
                            "August 2021: Taliban regain control", "high"),
              TimelineEvent(dt.date(2021, 9, 17), dt.date(2021, 9, 17),
                            "17 September 2021: SCO summit", "medium"),
              TimelineEvent(dt.date(2023, 1, 1), dt.date(2023, 12, 31),
                            "2023: Kazakhstan delists the Taliban", "low"),
              TimelineEvent(dt.date(2024, 9, 4), dt.date(2024, 9, 5),
                            "4–5 September 2024: RATS SCO conference, Ташкент", "high")]
    nodes = [MapNode("uz", "Uzbekistan", "state"), MapNode("sco", "SCO", "organisation"),
             MapNode("tb", "Taliban", "movement"), MapNode("iskp", "ISIS-K", "armed-group"),
             MapNode("az", "Абдусалом Азизов", "person")]
    edges = [MapEdge("uz", "sco", "member of"), MapEdge("tb", "iskp", "fights"),
             MapEdge("az", "uz", "security chief of")]
    body = [
        Callout("titleblock", [
            Heading(1, [Text(info.title)], "title", line=1),
            para(Emph([Text(info.subtitle)])),
            para(Strong([Text("1 October 2024")]), " · Desk & Co"),
            para("Prepared by A. Analyst, Б. Аналитик"),
            para("For Senior officials"),
        ], line=1),
        Contents("Contents", line=8),
        Heading(2, [Text("Bottom line up front")], "bluf", line=10),
        Callout("bluf", [para("The Taliban cannot contain ISKP", NoteRef(1), ".")], line=11),
    ]
    for n in range(sections):
        body += [
            Heading(2, [Text(f"Section {n + 1} & more")], f"section-{n + 1}", line=20 + n * 10),
            Heading(3, [Text(f"Subsection {n + 1}.1")], f"subsection-{n + 1}-1", line=21 + n * 10),
            para("Some text citing a source", NoteRef(1), NoteRef(2), " and another.", NoteRef(2),
                 " " + "Lorem ipsum dolor sit amet. " * 20),
        ]
    body += [
        Figure("timeline", TimelineData(events), "Timeline of developments in scope", line=90),
        Figure("relation-map", RelationMapData(nodes, edges), "Relations between actors", line=92),
        PageBreak(line=94),
        Heading(2, [Text("Distribution")], "distribution", line=95),
        OrderedList([ListItem([para("Director, Regional Security Desk")]),
                     ListItem([para("Head of Counter-Terrorism Unit")])], line=96),
        Heading(2, [Text("Sources")], "sources", line=98),
        NotesList(line=99),
    ]
    notes = [Note(1, [Text("Kim Jeong-ki, "), Emph([Text("The Taliban’s Return")]),
                      Text(", Korea Foundation, 2021. Grade B2.")]),
             Note(2, [Text("Elia Preto Martini, "), Emph([Text("Broken promises")]),
                      Text(", Diplomatic Courier, 7 May 2024. "),
                      Link("https://www.diplomaticourier.com", [Text("https://www.diplomaticourier.com")]),
                      Text(" Grade B3.")])]
    return Document(info, body, notes)
