from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'audience.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_help_dialog = missing
    pass
    parent_template = environment.get_template('base.html.j2', 'audience.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('_macros.html.j2', 'audience.html.j2')._get_default_module(context)
    l_0_help_dialog = getattr(included_template, 'help_dialog', missing)
    if l_0_help_dialog is missing:
        l_0_help_dialog = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'audience.html.j2') does not export the requested name 'help_dialog'", name='help_dialog')
    context.vars['help_dialog'] = l_0_help_dialog
    context.exported_vars.discard('help_dialog')
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

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_static = resolve('static')
    l_0_deck = resolve('deck')
    pass
    yield '<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/ui.css">\n<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/audience.css">\n'
    if (environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'aspect') == '4:3'):
        pass
        yield '<style>@media print { @page { size: 1440px 1080px; margin: 0; } }</style>\n'
    yield '<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/podium.js"></script>\n<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/audience.js"></script>\n'

def block_body_class(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'view-audience'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_deck = resolve('deck')
    l_0_parts = resolve('parts')
    l_0_help_dialog = resolve('help_dialog')
    l_0_data = resolve('data')
    try:
        t_1 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    try:
        t_2 = environment.filters['tojson_script']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'tojson_script' found.")
    pass
    yield '<div class="stage">\n<main class="deck frame" id="podium-deck" aria-label="'
    yield escape(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'title'))
    yield '">\n'
    yield escape(environment.getattr((undefined(name='parts') if l_0_parts is missing else l_0_parts), 'audience'))
    yield '\n'
    if (not environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'slides')):
        pass
        yield '<p class="empty-deck">This deck has no slides yet. Write some in <code>'
        yield escape(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'path'))
        yield '</code>, separated by lines of <code>---</code>.</p>\n'
    yield '<div class="progress" aria-hidden="true"><span></span></div>\n<div class="slide-number" aria-hidden="true"></div>\n</main>\n</div>\n<div class="controls" role="toolbar" aria-label="Slide controls">\n<button type="button" data-action="prev" aria-label="Previous slide">&#8592;</button>\n<button type="button" data-action="next" aria-label="Next slide">&#8594;</button>\n<span class="sep" aria-hidden="true"></span>\n<button type="button" data-action="overview" aria-label="Overview of all slides">Overview</button>\n<button type="button" data-action="presenter" aria-label="Open the presenter view">Presenter</button>\n<button type="button" data-action="fullscreen" aria-label="Full screen">Full screen</button>\n<button type="button" data-action="help" aria-label="Keyboard shortcuts">?</button>\n</div>\n<div class="blackout" hidden></div>\n<div class="goto" hidden aria-hidden="true"></div>\n<div class="toast" role="status" hidden></div>\n<div class="sr-only" id="podium-announcer" aria-live="polite" aria-atomic="true"></div>\n<section class="overview" id="podium-overview" hidden aria-label="Overview of all slides"></section>\n'
    yield escape(context.call((undefined(name='help_dialog') if l_0_help_dialog is missing else l_0_help_dialog), 'audience', _block_vars=_block_vars))
    yield '\n<script type="application/json" id="podium-data">'
    yield escape(t_1(t_2((undefined(name='data') if l_0_data is missing else l_0_data))))
    yield '</script>\n'

blocks = {'title': block_title, 'head': block_head, 'body_class': block_body_class, 'body': block_body}
debug_info = '1=13&2=16&3=24&4=35&5=46&6=48&7=50&9=54&10=56&12=59&13=69&15=94&16=96&17=98&18=101&38=104&39=106'