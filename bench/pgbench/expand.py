#!/usr/bin/env python3
"""Expands a pgbench template of bench/pgbench/ into a pgbench script.

A template is a pgbench script in which a line

    @query NAME [\\gset PREFIX]
        $1 = VALUE
        $2 = VALUE

stands for the named query NAME of sql/queries/*.sql (the SQL ludus
prepares and runs), with each $N replaced by (VALUE): a pgbench variable
(:user_id), a literal ('weekly', NULL) or a scalar subquery on the bench
schema (what ludus would have received from the client).  Every other line
is copied as it is.  A query that is not followed by \\gset ends with ';'.

pgbench takes ':word' anywhere in a command for a variable, even inside a
string literal, so colons inside the literals of the named queries
('HH24:MI:SS') are spelt chr(58) instead; the value is the same.

usage: expand.py QUERIES_DIR TEMPLATE OUTPUT
"""
import glob
import os
import re
import sys


def load_queries(qdir):
    queries = {}
    for path in sorted(glob.glob(os.path.join(qdir, '*.sql'))):
        name, lines = None, []
        for line in open(path, encoding='utf-8').read().split('\n'):
            m = re.match(r'^-- name:\s*([a-z0-9_]+)\s*$', line)
            if m:
                if name:
                    queries[name] = '\n'.join(lines).strip()
                name, lines = m.group(1), []
            elif name is not None:
                lines.append(line)
        if name:
            queries[name] = '\n'.join(lines).strip()
    return queries


def strip_comments(sql):
    """Drops -- comments (outside string literals)."""
    out, i, n, in_str = [], 0, len(sql), False
    while i < n:
        c = sql[i]
        if in_str:
            out.append(c)
            if c == "'":
                in_str = False
        elif c == "'":
            in_str = True
            out.append(c)
        elif sql.startswith('--', i):
            while i < n and sql[i] != '\n':
                i += 1
            continue
        else:
            out.append(c)
        i += 1
    text = ''.join(out)
    return '\n'.join(l.rstrip() for l in text.split('\n') if l.strip())


def protect_colons(sql):
    """':x' inside string literals becomes ' || chr(58) || ' before x."""
    def fix(m):
        lit = m.group(0)
        if not re.search(r':[A-Za-z0-9_]', lit):
            return lit
        parts = lit[1:-1].split(':')
        return '(' + ' || chr(58) || '.join("'" + p + "'" for p in parts) + ')'
    return re.sub(r"'(?:[^']|'')*'", fix, sql)


def expand(queries, template):
    out, lines, i = [], template.split('\n'), 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r'^@query\s+([a-z0-9_]+)\s*(\\gset\s*\S*)?\s*$', line)
        if not m:
            out.append(line)
            i += 1
            continue
        name, gset = m.group(1), m.group(2)
        if name not in queries:
            sys.exit('expand.py: no query named %s' % name)
        values = {}
        i += 1
        while i < len(lines) and re.match(r'^\s+\$\d+\s*=', lines[i]):
            k, v = lines[i].strip().split('=', 1)
            values[int(k.strip()[1:])] = v.strip()
            i += 1
        sql = protect_colons(strip_comments(queries[name]))
        used = set(int(x) for x in re.findall(r'\$(\d+)', sql))
        if used != set(values):
            sys.exit('expand.py: %s takes $%s, the template gives $%s' % (
                name, sorted(used), sorted(values)))
        sql = re.sub(r'\$(\d+)', lambda mm: '(' + values[int(mm.group(1))] + ')',
                     sql)
        out.append('-- ' + name)
        out.append(sql + (' ' + gset if gset else ';'))
    return '\n'.join(out)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    queries = load_queries(sys.argv[1])
    with open(sys.argv[2], encoding='utf-8') as f:
        text = expand(queries, f.read())
    with open(sys.argv[3], 'w', encoding='utf-8') as f:
        f.write(text + '\n')


if __name__ == '__main__':
    main()
