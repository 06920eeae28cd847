"""Small PDF files written by hand for the material tests: real ones with
text on pages, one that is encrypted, one that is not a PDF past its first
bytes, and a decompression bomb (a page whose content stream inflates to
hundreds of megabytes)."""
import zlib


def _escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _assemble(objects, trailer_extra=""):
    """A PDF of these object bodies (bytes, numbered from 1), with a
    correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R "
            f"{trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def _stream(data, compressed=False, extra=""):
    if compressed:
        extra += " /Filter /FlateDecode"
    return (f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data +
            b"\nendstream")


def pdf(pages, title=None):
    """A PDF with one page per list of lines, in Helvetica."""
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        text = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(
            f"({_escape(line)}) Tj T*" for line in lines) + " ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(_stream(text.encode("latin-1")))
    extra = ""
    if title is not None:
        objects.append(f"<< /Title ({_escape(title)}) >>".encode())
        extra = f"/Info {len(objects)} 0 R "
    return _assemble(objects, extra)


def encrypted():
    """A PDF whose trailer names the standard security handler: it cannot
    be opened without a password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 "
        b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>",
    ]
    return _assemble(objects, "/Encrypt 4 0 R /ID [<" + "ab" * 16 +
                     "> <" + "ab" * 16 + ">] ")


def not_a_pdf():
    return b"%PDF-1.7\nthis is not a PDF at all, only its first bytes\n"


def bomb(pages=500):
    """A few kilobytes that read as tens of millions of characters: one
    content stream of 792 lines of 200 letters in a 1-point font, shared
    by `pages` pages."""
    line = b"(" + b"Lorem ipsum dolor sit amet " * 7 + b"est) '\n"
    stream = zlib.compress(b"BT /F1 1 Tf 1 TL 20 792 Td\n" + line * 792 +
                           b"ET", 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    content = 4 + pages
    for _ in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content} 0 R >>".encode())
    objects.append(_stream(stream, compressed=True))
    return _assemble(objects)
