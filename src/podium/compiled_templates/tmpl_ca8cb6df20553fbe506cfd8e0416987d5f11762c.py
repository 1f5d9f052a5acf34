from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'site-index.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_csp = resolve('csp')
    l_0_static = resolve('static')
    l_0_namespace = resolve('namespace')
    l_0_decks = resolve('decks')
    l_0_format_duration = resolve('format_duration')
    l_0_total = missing
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    pass
    yield '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="'
    yield escape((undefined(name='csp') if l_0_csp is missing else l_0_csp))
    yield '">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="Podium">\n<link rel="icon" href="data:,">\n<title>Slide decks</title>\n<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/podium.css">\n<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/code.css">\n<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/doc.css">\n<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/podium.js"></script>\n<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/doc.js"></script>\n</head>\n<body class="view-index">\n<header class="doc-header">\n<h1>Slide decks</h1>\n'
    l_0_total = context.call((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace), seconds=0, slides=0)
    context.vars['total'] = l_0_total
    context.exported_vars.add('total')
    for (l_1_slug, l_1_deck) in (undefined(name='decks') if l_0_decks is missing else l_0_decks):
        _loop_vars = {}
        pass
        if not isinstance(l_0_total, Namespace):
            raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
        l_0_total['seconds'] = (environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'seconds') + (environment.getattr(l_1_deck, 'duration_seconds') or 0))
        if not isinstance(l_0_total, Namespace):
            raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
        l_0_total['slides'] = (environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'slides') + t_1(environment.getattr(l_1_deck, 'slides')))
    l_1_slug = l_1_deck = missing
    yield '<p class="doc-meta"><span>'
    yield escape(t_1((undefined(name='decks') if l_0_decks is missing else l_0_decks)))
    yield ' deck'
    yield escape(('s' if (t_1((undefined(name='decks') if l_0_decks is missing else l_0_decks)) != 1) else cond_expr_undefined("the inline if-expression on line 21 in 'site-index.html.j2' evaluated to false and no else section was defined.")))
    yield '</span><span>'
    yield escape(environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'slides'))
    yield ' slides</span>'
    if environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'seconds'):
        pass
        yield '<span>'
        yield escape(context.call((undefined(name='format_duration') if l_0_format_duration is missing else l_0_format_duration), environment.getattr((undefined(name='total') if l_0_total is missing else l_0_total), 'seconds')))
        yield ' planned</span>'
    yield '</p>\n</header>\n<main>\n<ol class="cards">\n'
    for (l_1_slug, l_1_deck) in (undefined(name='decks') if l_0_decks is missing else l_0_decks):
        l_1_first = resolve('first')
        l_1_slide_class = resolve('slide_class')
        l_1_thumbnail_html = resolve('thumbnail_html')
        l_1_byline = resolve('byline')
        l_1_seconds = missing
        _loop_vars = {}
        pass
        l_1_seconds = environment.getattr(l_1_deck, 'duration_seconds')
        _loop_vars['seconds'] = l_1_seconds
        yield '<li class="card" data-aspect="'
        yield escape(environment.getattr(l_1_deck, 'aspect'))
        yield '">\n'
        if environment.getattr(l_1_deck, 'slides'):
            pass
            l_1_first = environment.getitem(environment.getattr(l_1_deck, 'slides'), 0)
            _loop_vars['first'] = l_1_first
            yield '<div class="card-thumb frame" aria-hidden="true"><div class="'
            yield escape(context.call((undefined(name='slide_class') if l_1_slide_class is missing else l_1_slide_class), (undefined(name='first') if l_1_first is missing else l_1_first), _loop_vars=_loop_vars))
            yield '" inert>'
            yield escape(t_2(context.call((undefined(name='thumbnail_html') if l_1_thumbnail_html is missing else l_1_thumbnail_html), (undefined(name='first') if l_1_first is missing else l_1_first), markup_join((l_1_slug, '/', )), _loop_vars=_loop_vars)))
            yield '</div></div>\n'
        yield '<div class="card-body">\n<h2><a class="card-main" href="'
        yield escape(l_1_slug)
        yield '/index.html">'
        yield escape(environment.getattr(l_1_deck, 'title'))
        yield '</a></h2>\n<p class="doc-meta">'
        if context.call((undefined(name='byline') if l_1_byline is missing else l_1_byline), l_1_deck, _loop_vars=_loop_vars):
            pass
            yield '<span>'
            yield escape(context.call((undefined(name='byline') if l_1_byline is missing else l_1_byline), l_1_deck, _loop_vars=_loop_vars))
            yield '</span>'
        yield '<span>'
        yield escape(t_1(environment.getattr(l_1_deck, 'slides')))
        yield ' slide'
        yield escape(('s' if (t_1(environment.getattr(l_1_deck, 'slides')) != 1) else cond_expr_undefined("the inline if-expression on line 34 in 'site-index.html.j2' evaluated to false and no else section was defined.")))
        yield '</span>'
        if (undefined(name='seconds') if l_1_seconds is missing else l_1_seconds):
            pass
            yield '<span>'
            yield escape(context.call((undefined(name='format_duration') if l_0_format_duration is missing else l_0_format_duration), (undefined(name='seconds') if l_1_seconds is missing else l_1_seconds), _loop_vars=_loop_vars))
            yield '</span>'
        yield '</p>\n<p class="card-links"><a class="button primary" href="'
        yield escape(l_1_slug)
        yield '/index.html" aria-label="Present '
        yield escape(environment.getattr(l_1_deck, 'title'))
        yield '">Present</a><a class="button" href="'
        yield escape(l_1_slug)
        yield '/presenter.html" aria-label="Presenter view of '
        yield escape(environment.getattr(l_1_deck, 'title'))
        yield '">Presenter</a><a class="button" href="'
        yield escape(l_1_slug)
        yield '/handout.html" aria-label="Handout of '
        yield escape(environment.getattr(l_1_deck, 'title'))
        yield '">Handout</a></p>\n</div>\n</li>\n'
    l_1_slug = l_1_deck = l_1_seconds = l_1_first = l_1_slide_class = l_1_thumbnail_html = l_1_byline = missing
    yield '</ol>\n'
    if (not (undefined(name='decks') if l_0_decks is missing else l_0_decks)):
        pass
        yield '<p>No decks yet.</p>'
    yield '</main>\n</body>\n</html>'

blocks = {}
debug_info = '5=30&10=32&11=34&12=36&13=38&14=40&19=42&20=45&21=56&25=68&26=76&27=79&28=81&29=83&30=86&33=91&34=95&35=111&40=125'