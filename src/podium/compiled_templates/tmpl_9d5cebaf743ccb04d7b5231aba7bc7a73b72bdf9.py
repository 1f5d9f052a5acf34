from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'presenter.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_help_dialog = missing
    pass
    parent_template = environment.get_template('base.html.j2', 'presenter.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('_macros.html.j2', 'presenter.html.j2')._get_default_module(context)
    l_0_help_dialog = getattr(included_template, 'help_dialog', missing)
    if l_0_help_dialog is missing:
        l_0_help_dialog = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'presenter.html.j2') does not export the requested name 'help_dialog'", name='help_dialog')
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
    yield 'Presenter: '
    yield escape(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'title'))

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
    yield '/ui.css">\n<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/presenter.css">\n<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/podium.js"></script>\n<script defer src="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/presenter.js"></script>\n'

def block_body_class(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'view-presenter'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_deck = resolve('deck')
    l_0_duration = resolve('duration')
    l_0_format_duration = resolve('format_duration')
    l_0_help_dialog = resolve('help_dialog')
    l_0_parts = resolve('parts')
    l_0_data = resolve('data')
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
    try:
        t_3 = environment.filters['tojson_script']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'tojson_script' found.")
    pass
    yield '<header class="p-bar">\n<h1 class="p-title">'
    yield escape(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'title'))
    yield '</h1>\n<p class="p-count" id="podium-count" aria-live="polite">Slide <b>1</b> of '
    yield escape(t_1(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'slides')))
    yield '</p>\n<div class="p-tools" role="toolbar" aria-label="Presenter controls">\n<button type="button" data-action="prev" aria-label="Previous step or slide">&#8592;</button>\n<button type="button" data-action="next" aria-label="Next step or slide">&#8594;</button>\n<button type="button" data-action="blackout" aria-pressed="false" id="podium-blackout">Black screen</button>\n<button type="button" data-action="overview">Overview</button>\n<button type="button" data-action="audience" id="podium-audience">Open audience window</button>\n<button type="button" data-action="help" aria-label="Keyboard shortcuts">?</button>\n</div>\n</header>\n<main class="p-main">\n<section class="p-current" aria-labelledby="podium-current-label">\n<div class="p-head"><h2 class="p-label" id="podium-current-label">Now <span class="p-step" id="podium-step"></span></h2>\n<p class="p-black" id="podium-black" hidden>Audience screen is black <span class="p-black-key">· press <kbd>b</kbd> to show it</span></p></div>\n<div class="p-pane"><div class="frame" id="podium-current"></div></div>\n</section>\n<section class="p-next" aria-labelledby="podium-next-label">\n<h2 class="p-label" id="podium-next-label">Next</h2>\n<div class="p-pane"><div class="frame" id="podium-next"></div><p class="p-end" id="podium-end" hidden>End of the deck</p></div>\n</section>\n<section class="p-time" aria-label="Time">\n<div class="p-clock"><span class="p-k">Clock</span><time id="podium-clock">--:--</time></div>\n<div class="p-elapsed"><span class="p-k">Elapsed</span><time id="podium-elapsed" aria-live="off">0:00</time>\n<span class="p-timer-buttons"><button type="button" id="podium-pause" data-action="timer">Start</button><button type="button" id="podium-reset" data-action="reset">Reset</button></span></div>\n'
    if (undefined(name='duration') if l_0_duration is missing else l_0_duration):
        pass
        yield '<div class="p-remaining"><span class="p-k">Remaining of '
        yield escape(context.call((undefined(name='format_duration') if l_0_format_duration is missing else l_0_format_duration), (undefined(name='duration') if l_0_duration is missing else l_0_duration), _block_vars=_block_vars))
        yield '</span><time id="podium-remaining">--:--</time></div>\n<div class="p-pacing" id="podium-pacing" data-status="on-time">\n<div class="p-pace-bar" aria-hidden="true"><span class="p-pace-window" id="podium-pace-window"></span><span class="p-pace-fill" id="podium-pace-fill"></span></div>\n<p class="p-pace-text" id="podium-pace-text">On time</p>\n</div>\n'
    yield '</section>\n<section class="p-notes" aria-labelledby="podium-notes-label">\n<div class="p-notes-head"><h2 class="p-label" id="podium-notes-label">Notes</h2>\n<span class="p-font" role="group" aria-label="Notes text size"><button type="button" data-action="smaller" aria-label="A&#8722; smaller notes">A&#8722;</button><output id="podium-font-size" aria-live="polite">28 px</output><button type="button" data-action="bigger" aria-label="A+ larger notes">A+</button></span></div>\n<div class="p-notes-body" id="podium-notes" tabindex="0" aria-label="Speaker notes"></div>\n</section>\n</main>\n<section class="overview" id="podium-overview" hidden aria-label="Overview of all slides"></section>\n<div class="goto" hidden aria-hidden="true"></div>\n<div class="toast" role="status" hidden></div>\n'
    yield escape(context.call((undefined(name='help_dialog') if l_0_help_dialog is missing else l_0_help_dialog), 'presenter', _block_vars=_block_vars))
    yield '\n<div class="p-sources" hidden>\n'
    yield escape(environment.getattr((undefined(name='parts') if l_0_parts is missing else l_0_parts), 'presenter'))
    yield '\n</div>\n<script type="application/json" id="podium-data">'
    yield escape(t_2(t_3((undefined(name='data') if l_0_data is missing else l_0_data))))
    yield '</script>\n'

blocks = {'title': block_title, 'head': block_head, 'body_class': block_body_class, 'body': block_body}
debug_info = '1=13&2=16&3=24&4=36&5=46&6=48&7=50&8=52&10=55&11=65&13=98&14=100&38=102&39=105&55=108&57=110&59=112'