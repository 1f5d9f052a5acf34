from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_deck = resolve('deck')
    l_0_csp = resolve('csp')
    l_0_static = resolve('static')
    try:
        t_1 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    pass
    yield '<!doctype html>\n<html lang="'
    yield escape(((context.call(environment.getattr(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'meta'), 'get'), 'lang') or 'en') if t_1((undefined(name='deck') if l_0_deck is missing else l_0_deck)) else 'en'))
    yield '"'
    if t_1((undefined(name='deck') if l_0_deck is missing else l_0_deck)):
        pass
        yield ' data-aspect="'
        yield escape(environment.getattr((undefined(name='deck') if l_0_deck is missing else l_0_deck), 'aspect'))
        yield '"'
    yield '>\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="'
    yield escape((undefined(name='csp') if l_0_csp is missing else l_0_csp))
    yield '">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="Podium">\n<link rel="icon" href="data:,">\n<title>'
    yield from context.blocks['title'][0](context)
    yield '</title>\n<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/podium.css">\n<link rel="stylesheet" href="'
    yield escape((undefined(name='static') if l_0_static is missing else l_0_static))
    yield '/code.css">\n'
    yield from context.blocks['head'][0](context)
    yield '</head>\n<body class="'
    yield from context.blocks['body_class'][0](context)
    yield '">\n'
    yield from context.blocks['body'][0](context)
    yield '</body>\n</html>'

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_body_class(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'title': block_title, 'head': block_head, 'body_class': block_body_class, 'body': block_body}
debug_info = '2=21&5=29&9=31&10=33&11=35&12=37&14=39&15=41&9=44&12=53&14=62&15=71'