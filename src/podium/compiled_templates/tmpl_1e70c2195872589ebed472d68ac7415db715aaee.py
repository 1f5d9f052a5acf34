from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'handout.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html.j2', 'handout.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_deck = resolve('deck')
    pass
    yield escape(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'title'))
    yield ': handout'

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_static = resolve('static')
    pass
    yield '<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/doc.css">\n<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/podium.js"></script>\n<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/doc.js"></script>\n'

def block_body_class(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'view-handout'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_deck = resolve('deck')
    l_0_byline = resolve('byline')
    l_0_duration = resolve('duration')
    l_0_format_duration = resolve('format_duration')
    l_0_parts = resolve('parts')
    l_0_by = missing
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    yield '<a class="skip" href="#podium-content">Skip to the slides</a>\n<header class="doc-header">\n<nav class="doc-nav" aria-label="Deck">\n<a href="../index.html">All decks</a>\n<span class="doc-nav-views"><a href="index.html">Present</a><a href="presenter.html">Presenter view</a></span>\n</nav>\n<h1>'
    yield escape(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'title'))
    yield '</h1>\n'
    l_0_by = context.call((undefined(name='byline') if l_0_byline is missing else l_0_byline), (undefined(name='deck') if l_0_deck is missing else l_0_deck), _block_vars=_block_vars)
    _block_vars['by'] = l_0_by
    yield '<p class="doc-meta">'
    if (undefined(name='by') if l_0_by is missing else l_0_by):
        pass
        yield '<span>'
        yield escape((undefined(name='by') if l_0_by is missing else l_0_by))
        yield '</span>'
    yield '<span>'
    yield escape(t_1(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'slides')))
    yield ' slide'
    yield escape(('s' if (t_1(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'slides')) != 1) else cond_expr_undefined("the inline if-expression on line 18 in 'handout.html.j2' evaluated to false and no else section was defined.")))
    yield '</span>'
    if (undefined(name='duration') if l_0_duration is missing else l_0_duration):
        pass
        yield '<span>'
        yield escape(context.call((undefined(name='format_duration') if l_0_format_duration is missing else l_0_format_duration), (undefined(name='duration') if l_0_duration is missing else l_0_duration), _block_vars=_block_vars))
        yield '</span>'
    yield '</p>\n</header>\n<nav class="toc" aria-labelledby="podium-toc-title">\n<h2 id="podium-toc-title">Contents</h2>\n<ol>\n'
    yield escape(environment.getattr((undefined(name='parts') if l_0_parts is missing else l_0_parts), 'handout_toc'))
    yield '\n</ol>\n</nav>\n<main id="podium-content" class="items">\n'
    yield escape(environment.getattr((undefined(name='parts') if l_0_parts is missing else l_0_parts), 'handout'))
    yield '\n</main>\n<footer class="doc-footer"><p>Made with Podium. <a href="index.html">Present this deck</a> · <a href="../index.html">All decks</a></p></footer>\n'

blocks = {'title': block_title, 'head': block_head, 'body_class': block_body_class, 'body': block_body}
debug_info = '1=12&2=17&3=29&4=39&5=41&6=43&8=46&9=56&16=77&17=79&18=82&23=98&27=100'