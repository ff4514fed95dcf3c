"""The escape corpus: programs that try to get out. Each must be denied.

Every payload ends by trying to create the canary file (`CANARY` is replaced by its path)
with whatever it managed to reach; the test passes when the file never appears and no
dangerous audit event fires -- not merely when something raises. Sources: RestrictedPython
advisories (RestrictedPython and AccessControl; docs/capability-rules.md), the classic Python-escape families, and this
sandbox's own design hazards.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Escape:
    name: str
    source: str
    #: "compile": must be refused before running; "run": must fail at run time at the latest;
    #: "harmless": may complete, but only with sanitised results (still no effect)
    stage: str = "any"


_W = "open(CANARY, 'w').write('x')"  # what most payloads do once they reach builtins

_CASES: list[tuple[str, str, str]] = [
    # --- RestrictedPython advisories ------------------------------------------------------
    ("rp-83 str.format attribute traversal",
     "'{0.__class__.__mro__[1].__subclasses__}'.format(1)", "any"),
    ("rp-142 getattr with underscore names",
     "getattr(getattr(getattr([],'__class__'),'__base__'),'__subclasses__')()", "run"),
    ("rp-142 getattr chain to os.popen",
     ("c = getattr(getattr([], '__class__'), '__base__')\n"
     "for k in getattr(c, '__subclasses__')():\n"
     "    if k.__name__ == '_wrap_close':\n"
     "        k.__init__.__globals__['system']('touch ' + CANARY)"), "any"),
    ("CVE-2023-37271 generator gi_frame",
     ("g = (x for x in [1])\n"
     "g.gi_frame.f_back.f_back.f_builtins['open'](CANARY, 'w')"), "any"),
    ("rp-285 getattr(g, 'gi_frame') at run time",
     ("g = (x for x in [1])\nf = getattr(g, 'gi_frame')\n"
     "getattr(getattr(f, 'f_back'), 'f_builtins')['open'](CANARY, 'w')"), "run"),
    ("CVE-2023-37271 gi_code and gi_yieldfrom",
     "def gen():\n    yield 1\ng = gen()\nc = g.gi_code\ny = g.gi_yieldfrom", "run"),
    ("CVE-2023-41039 str.format via the type",
     "str.format('{0.__class__.__mro__[1]}', 1)", "run"),
    ("CVE-2023-41039 format_map",
     "'{a.__class__}'.format_map({'a': 1})", "run"),
    ("CVE-2023-41039 getattr format on instance",
     "getattr('', 'format')('{0.__class__}', 1)", "run"),
    ("CVE-2023-41039 string.Formatter",
     "import string\nstring.Formatter().get_field('0.__globals__', [len], {})", "run"),
    ("CVE-2023-41050 format_map on str subclass",
     "class S(str):\n    pass\nS('{0.__class__}').format_map({})", "run"),
    ("rp-282 str subclass fooling startswith",
     ("class S(str):\n    def startswith(self, p):\n        return False\n"
     "getattr([], S('__class__'))"), "run"),
    ("rp-282 object with __eq__ as attribute name",
     ("class N:\n    def __eq__(self, o):\n        return True\n"
     "getattr('', N())"), "run"),
    ("CVE-2024-47532 AttributeError.obj of a module",
     ("import string\ntry:\n    string.Formatter\nexcept AttributeError as e:\n"
     "    e.obj.Formatter"), "run"),
    ("AttributeError.obj and .name",
     "try:\n    [].nope\nexcept AttributeError as e:\n    o = e.obj\n    n = e.name", "run"),
    ("CVE-2025-22153 except*",
     "try:\n    raise ValueError(1)\nexcept* ValueError as eg:\n    eg.exceptions", "compile"),
    ("ExceptionGroup name", "ExceptionGroup('x', [ValueError()])", "run"),
    ("GHSA-ffg3 positional-only hook shadow",
     "def f(_getattr_=None, /):\n    return [].x\nf()", "compile"),
    ("GHSA-ffg3 kw-only and lambda underscore params",
     "f = lambda *, _g=1: _g\ndef h(**_k): pass", "compile"),
    ("CVE-2026-76825 Formatter traversal methods",
     "import string\nf = string.Formatter()\nf.get_value(0, [len], {})", "run"),
    ("rp-335 bytes/sorted/tuple/zip are charged wrappers",
     "x = sorted\ny = tuple\nx.__call__.__globals__", "compile"),
    # --- subclass walks and type reflection -------------------------------------------------
    ("subclass walk via literal", "().__class__.__bases__[0].__subclasses__()", "compile"),
    ("subclass walk via type()", "type(()).mro()[-1]", "run"),
    ("object.__subclasses__", "object.__subclasses__()", "compile"),
    ("getattr(object, '__subclasses__')", "getattr(object, '__subclasses__')()", "run"),
    ("str.mro", "str.mro()", "run"),
    ("type three-arg form", "X = type('X', (), {'a': 1})", "run"),
    ("type of builtin function", "t = type(len)\nt", "run"),
    ("type of tamed builtin", "T = type(print)\nT()", "run"),
    ("type of a namespace", "import math\nT = type(math)\nT('os', {})", "run"),
    ("type of a generator", "t = type((x for x in []))", "run"),
    ("type of super", "t = type(super(object, 1))", "run"),
    ("class __dict__", "class A:\n    pass\nA.__dict__", "compile"),
    ("vars()", "vars(object)", "run"),
    ("dir()", "dir()", "run"),
    ("globals()", "globals()['__builtins__']", "any"),
    ("locals()", "locals()", "run"),
    ("__builtins__ lookup", "__builtins__['open'](CANARY, 'w')", "compile"),
    ("__import__", "__import__('os').system('touch ' + CANARY)", "compile"),
    ("eval", "eval('1')", "run"),
    ("exec", "exec('x = 1')", "run"),
    ("compile", "compile('1', 'x', 'eval')", "run"),
    ("open", _W, "run"),
    ("breakpoint", "breakpoint()", "run"),
    ("help", "help()", "run"),
    ("input", "input()", "run"),
    ("memoryview", "memoryview(b'x')", "run"),
    ("bytearray", "bytearray(10)", "run"),
    ("builtin function __self__ is the builtins module",
     "len.__self__.open(CANARY, 'w')", "compile"),
    ("getattr(len, '__self__')", "getattr(len, '__self__')", "run"),
    ("bound builtin method self", "getattr([].append, '__self__')", "run"),
    ("tamed builtin internals", "getattr(print, 'fn')", "run"),
    ("tamed builtin __call__", "getattr(sorted, '__call__')", "run"),
    ("facade type internals", "getattr(list, 'real')", "run"),
    ("facade type attribute", "list.attribute('x')", "run"),
    # --- functions, frames, tracebacks -----------------------------------------------------
    ("function __globals__", "def f():\n    pass\nf.__globals__", "compile"),
    ("function globals via getattr", "def f():\n    pass\ngetattr(f, '__globals__')", "run"),
    ("function code via public name", "def f():\n    pass\nf.func_code", "run"),
    ("lambda __code__", "(lambda: 0).__code__", "compile"),
    ("lambda default smuggling", "f = lambda x=__builtins__: x", "compile"),
    ("traceback frames",
     "try:\n    1/0\nexcept Exception as e:\n    e.__traceback__.tb_frame.f_globals", "compile"),
    ("traceback via getattr",
     "try:\n    1/0\nexcept Exception as e:\n    tb = getattr(e, '__traceback__')", "run"),
    ("with_traceback", "try:\n    1/0\nexcept Exception as e:\n    e.with_traceback(None)", "run"),
    ("exception __context__",
     ("try:\n    try:\n        1/0\n    except Exception:\n        [].x\n"
     "except Exception as e:\n    getattr(e, '__context__')"), "run"),
    ("frame f_back via public names",
     "def g():\n    yield 1\nx = g()\nnext(x)\nf = x.gi_frame\nf.f_back", "run"),
    ("coroutine frames", "async def f():\n    pass\nf().cr_frame", "compile"),
    ("generator send/throw",
     "def g():\n    yield 1\nx = g()\nx.send(None)\nx.throw(ValueError)", "run"),
    ("bound method __func__", "class A:\n    def m(self):\n        pass\nA().m.__func__",
     "compile"),
    ("bound method public attrs",
     "class A:\n    def m(self):\n        pass\ngetattr(A().m, 'im_func')", "run"),
    # --- modules -------------------------------------------------------------------------------
    ("import os", "import os\nos.system('touch ' + CANARY)", "run"),
    ("import sys", "import sys\nsys.modules['os']", "run"),
    ("import gc", "import gc\ngc.get_objects()", "run"),
    ("import builtins", "import builtins\nbuiltins.open(CANARY, 'w')", "run"),
    ("import operator attrgetter",
     "import operator\noperator.attrgetter('__class__')([])", "run"),
    ("import functools", "import functools\nfunctools.reduce", "run"),
    ("from os import system", "from os import system", "run"),
    ("module re-export datetime.sys",
     "import datetime\ndatetime.sys.modules['os'].system('touch ' + CANARY)", "run"),
    ("module re-export via json", "import json\njson.codecs", "run"),
    ("module re-export via re", "import re\nre.copyreg", "run"),
    ("random module internals", "import random\nrandom.Random", "run"),
    ("random _inst", "import random\ngetattr(random, '_inst')", "run"),
    ("math items mapping", "import math\nmath.items", "run"),
    ("namespace lookup method", "import math\ngetattr(math, 'lookup')", "run"),
    ("namespace write", "import math\nmath.sqrt = 1", "run"),
    ("namespace setattr", "import math\nsetattr(math, 'sqrt', 1)", "run"),
    ("facade function self", "import math\nmath.sqrt.__self__", "compile"),
    ("re pattern internals", "import re\np = re.compile('a')\ngetattr(p, '_re')", "run"),
    ("re match internals", "import re\nm = re.match('a', 'a')\ngetattr(m, '_groups')", "run"),
    ("star import", "from math import *", "compile"),
    ("relative import", "from . import domain", "compile"),
    ("dotted import", "import os.path", "compile"),
    ("import scripting", "import scripting", "run"),
    ("import tests", "import tests", "run"),
    # --- match, decorators, metaclasses, dunders ----------------------------------------------
    ("match class pattern reads attributes",
     "match []:\n    case list(append=a):\n        a", "compile"),
    ("match mapping rest", "match {}:\n    case {**rest}:\n        pass", "compile"),
    ("decorator reaching globals", "@(lambda f: f.__globals__)\ndef g():\n    pass", "compile"),
    ("decorator with getattr", "@(lambda f: getattr(f, '__globals__'))\ndef g():\n    pass",
     "run"),
    ("metaclass keyword", "class A(metaclass=type):\n    pass", "compile"),
    ("subclass type", "class M(type):\n    pass", "run"),
    ("subclass a builtin", "class L(list):\n    pass", "run"),
    ("subclass a facade", "class S(str):\n    pass", "run"),
    ("__init_subclass__", "class A:\n    def __init_subclass__(cls):\n        pass", "compile"),
    ("__del__ finaliser", "class A:\n    def __del__(self):\n        " + _W, "compile"),
    ("__reduce__", "class A:\n    def __reduce__(self):\n        return (getattr, ())",
     "compile"),
    ("__getattr__", "class A:\n    def __getattr__(self, n):\n        return n", "compile"),
    ("__format__", "class A:\n    def __format__(self, s):\n        return s", "compile"),
    ("__index__ amplification", "class A:\n    def __index__(self):\n        return 10**10",
     "compile"),
    ("__class__ assignment", "class A:\n    pass\na = A()\na.__class__ = int", "compile"),
    ("setattr __class__", "class A:\n    pass\nsetattr(A(), '__class__', int)", "run"),
    ("class body namespace injection",
     "class A:\n    x = 1\n    y = __builtins__", "compile"),
    ("super() tricks: super(str, s).format",
     "super(str, 'x').format('{0.__class__}', 1)", "run"),
    ("super() tricks: super(type, str)", "super(type, str).mro()", "run"),
    ("super() tricks: super(int, 1).__init__", "super(int, 1).__init__()", "run"),
    ("super of a foreign object",
     "class A:\n    pass\nsuper(A, A()).__init__()\ngetattr(super(A, A()), '__class__')",
     "run"),
    ("staticmethod func", "s = staticmethod(len)\ngetattr(s, '__func__')", "run"),
    ("property fget", "p = property(len)\np.fget", "run"),
    ("property setter on a builtin", "p = property(len)\np.setter(len)", "run"),
    # --- writes to things that are not yours -------------------------------------------------
    ("write attribute on a builtin", "x = [1]\nx.append = None", "run"),
    ("write attribute on a function", "def f():\n    pass\nf.x = 1", "run"),
    ("write attribute on a tamed builtin", "print.x = 1", "run"),
    ("write builtins mapping", "d = {}\nd['x'] = 1\nprint.__dict__", "compile"),
    ("augassign attribute on builtin", "s = 'x'\ns.y += 1", "run"),
    # --- keywords, unpacking ----------------------------------------------------------------
    ("private keyword argument", "f(_internal=True)", "compile"),
    ("private keyword via **", "def f(**kw):\n    pass\nf(**{'_internal': True})", "run"),
    ("non-str keyword via **", "def f(**kw):\n    pass\nf(**{1: True})", "run"),
    ("iter with sentinel", "iter(int, 1)", "run"),
    # --- misc -----------------------------------------------------------------------------------
    ("nonlocal of a private name", "def f():\n    _x = 1\n    def g():\n        nonlocal _x",
     "compile"),
    ("nonlocal of a class cell", "class A:\n    def m(self):\n        nonlocal __class__",
     "compile"),
    ("with statement __exit__ swallows", "with x:\n    pass", "compile"),
    ("async def", "async def f():\n    pass", "compile"),
    ("fullwidth dunder", "().\uff3f\uff3fclass\uff3f\uff3f", "compile"),
    ("fullwidth builtins name", "\uff3f\uff3fbuiltins\uff3f\uff3f", "compile"),
    ("fmt attribute field", "fmt('{0.__class__}', 1)", "run"),
    ("fmt index field", "fmt('{0[0]}', [1])", "run"),
    ("fstring conversion cannot traverse", "x = 1\nf'{x.__class__}'", "compile"),
    ("percent format star width", "'%*d' % (10**8, 1)", "run"),
    ("ticks_left internals", "getattr(ticks_left, 'fn')", "run"),
    ("id() address leak", "id(1)", "run"),
    ("hash of builtins", "hash(__builtins__)", "compile"),
    ("raise SystemExit", "raise SystemExit(1)", "run"),
    ("raise KeyboardInterrupt", "raise KeyboardInterrupt", "run"),
    ("GeneratorExit name", "GeneratorExit", "run"),
    ("exception args with live object",
     "try:\n    getattr(1, 'nope')\nexcept AttributeError as e:\n    a = e.args", "harmless"),
]

ESCAPES = tuple(Escape(n, s, stage) for n, s, stage in _CASES)
