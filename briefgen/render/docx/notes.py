"""Citations in DOCX: Word footnotes, cross-references to them, and the list of sources.

The first ``NoteRef`` of a number becomes a real Word footnote (``w:footnoteReference`` in the
body, the note's text in ``word/footnotes.xml``), wrapped in a bookmark. Every later ``NoteRef``
of that number is a superscript ``NOTEREF`` field to the bookmark whose cached result is the same
number, so a source keeps one number throughout. Word numbers footnotes in order of appearance,
which is our numbering (numbers are assigned in order of first citation); should a number ever
come out of that order, the footnote carries it as a custom mark instead of Word's count.

A brief that must fit a number of pages (``page_limit``, the one-pager) and has a notes list
prints each note once, in that list, as the PDF does: its marks are superscript numbers linked
to their entries, and there are no footnotes. Footnotes there printed every source twice and ran
the one-pager onto a second page in Word and LibreOffice while its PDF fitted.

python-docx has no footnotes API: the part, its relationship, its content type (added by
python-docx from the part's content type when saving) and ``settings.xml``'s ``w:footnotePr``
are written here.
"""
from __future__ import annotations

from contextlib import contextmanager

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.parser import parse_xml
from lxml import etree

from ...document.nodes import Note, NoteRef, NotesList
from . import xml as x

_FOOTNOTES = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
    '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
    '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '</w:footnotes>')

# CT_Settings children in schema order, up to the ones written here (the rest follow compat).
SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
    "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
    "compat")
_SETTINGS_RANK = {name: i for i, name in enumerate(SETTINGS_ORDER)}


def set_setting(settings: etree._Element, child: etree._Element) -> None:
    """Put ``child`` into ``w:settings`` at its schema position, replacing a namesake."""
    name = etree.QName(child).localname
    mine = _SETTINGS_RANK[name]
    for existing in settings:
        qname = etree.QName(existing)
        if qname.namespace != x.W_NS:
            other = len(_SETTINGS_RANK)  # w14:docId etc. come after everything listed
        else:
            other = _SETTINGS_RANK.get(qname.localname, len(_SETTINGS_RANK))
        if other == mine:
            settings.replace(existing, child)
            return
        if other > mine:
            existing.addprevious(child)
            return
    settings.append(child)


def _list_entry(number: int) -> str:
    return f"_Note{number}"


class Notes:
    """Footnotes and NOTEREFs for one render; ``ref`` is the NoteRef inline handler."""

    def __init__(self, writer, word, notes: list[Note], footnotes: bool = True):
        self.writer = writer
        # False: a mark links to its entry in the notes list, which alone prints the note
        self.footnotes = footnotes
        self.word = word
        self.by_number: dict[int, Note] = {}
        for note in notes or []:
            if not isinstance(note, Note) or not isinstance(note.number, int):
                raise writer.error(f"Document.notes holds numbered notes, not {note!r}")
            if note.number in self.by_number:
                raise writer.error(f"note {note.number} is defined twice")
            self.by_number[note.number] = note
        self.bookmarks: dict[int, str] = {}  # number -> bookmark around its footnote reference
        self.root: etree._Element | None = None
        self.part: XmlPart | None = None
        self.count = 0
        self.last_mark: etree._Element | None = None  # last element of the previous mark
        self.inside_note = False

    # the inline handler ----------------------------------------------------------------------
    def ref(self, parent: etree._Element, node: NoteRef) -> None:
        writer = self.writer
        number = node.number
        if not isinstance(number, int) or isinstance(number, bool):
            raise writer.error(f"a citation needs a note number, not {number!r}")
        if number not in self.by_number:
            raise writer.error(f"citation [{number}] has no note; notes: "
                               f"{', '.join(map(str, sorted(self.by_number))) or 'none'}")
        if len(parent) and parent[-1] is self.last_mark:  # adjacent marks print as "1, 3"
            self._mark_run(parent, ",")
        if self.inside_note:  # a note citing a note: Word has no nested footnotes
            self._mark_run(parent, str(number))
        elif not self.footnotes:
            link = x.sub(parent, "hyperlink", anchor=_list_entry(number), history=1)
            self._mark_run(link, str(number))
        elif number in self.bookmarks:
            x.field(parent, f"NOTEREF {self.bookmarks[number]} \\f \\h", str(number),
                    rpr=self._mark_rpr())
        else:
            self._footnote(parent, number)
        self.last_mark = parent[-1]

    def _mark_rpr(self) -> etree._Element:
        return x.make_rpr(style=self.writer.ids.footnote_ref)

    def _mark_run(self, parent: etree._Element, text: str) -> etree._Element:
        r = etree.SubElement(parent, x.R)
        r.append(self._mark_rpr())
        x.add_text(r, text)
        return r

    def _footnote(self, parent: etree._Element, number: int) -> None:
        writer = self.writer
        if self.root is None:
            self._create_part()
        self.count += 1
        footnote_id = self.count
        custom = footnote_id != number  # Word would print its own count: keep ours
        name = self.bookmarks[number] = f"_Ref_note{number}"
        bookmark_id = writer.new_bookmark_id()
        x.sub(parent, "bookmarkStart", id=bookmark_id, name=name)
        r = etree.SubElement(parent, x.R)
        r.append(self._mark_rpr())
        reference = x.sub(r, "footnoteReference", id=footnote_id)
        if custom:
            reference.set(x.w("customMarkFollows"), "1")
            x.add_text(r, str(number))
        x.sub(parent, "bookmarkEnd", id=bookmark_id)

        footnote = x.sub(self.root, "footnote", id=footnote_id)
        p = x.sub(footnote, "p")
        p.append(x.make_ppr(style=writer.ids.footnote_text))
        mark = etree.SubElement(p, x.R)
        mark.append(self._mark_rpr())
        if custom:
            x.add_text(mark, str(number))
        else:
            x.sub(mark, "footnoteRef")
        x.sub(etree.SubElement(p, x.R), "tab")  # to the hanging indent
        with self.in_note():
            writer.inlines(p, self.by_number[number].children, writer.PLAIN)
        writer.finish_paragraph(p)

    @contextmanager
    def in_note(self):
        """Write inline content into the footnotes part (links relate to that part)."""
        saved = self.last_mark
        self.inside_note = True
        with self.writer.story(self.part):
            try:
                yield
            finally:
                self.inside_note = False
                self.last_mark = saved

    def _create_part(self) -> None:
        self.root = parse_xml(_FOOTNOTES)
        document_part = self.word.part
        self.part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self.root,
                            document_part.package)
        document_part.relate_to(self.part, RT.FOOTNOTES)
        settings = self.word.settings.element
        footnote_pr = x.new("footnotePr")
        for special in ("-1", "0"):  # the separator footnotes
            x.sub(footnote_pr, "footnote", id=special)
        set_setting(settings, footnote_pr)

    # the notes list --------------------------------------------------------------------------
    def notes_list(self, node: NotesList, frame) -> None:
        """Every note once, by number: the brief's list of sources."""
        writer = self.writer
        for number in sorted(self.by_number):
            p = writer.new_p(frame, writer.ids.source_list)
            if not self.footnotes:  # where the marks link to
                bookmark_id = writer.new_bookmark_id()
                x.sub(p, "bookmarkStart", id=bookmark_id, name=_list_entry(number))
                x.sub(p, "bookmarkEnd", id=bookmark_id)
            writer.run(p, f"{number}.", writer.PLAIN)
            x.sub(etree.SubElement(p, x.R), "tab")
            saved, self.inside_note = self.inside_note, True
            try:
                writer.inlines(p, self.by_number[number].children, writer.PLAIN)
            finally:
                self.inside_note = saved
            writer.finish_paragraph(p)
