from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_slide_element = l_0_notes_html = l_0_help_dialog = missing
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
    def macro(l_1_slide, l_1_deck, l_1_tag, l_1_with_id, l_1_label):
        t_3 = []
        l_1_slide_class = resolve('slide_class')
        l_1_slide_attrs = resolve('slide_attrs')
        l_1_byline = resolve('byline')
        if l_1_slide is missing:
            l_1_slide = undefined("parameter 'slide' was not provided", name='slide')
        if l_1_deck is missing:
            l_1_deck = undefined("parameter 'deck' was not provided", name='deck')
        if l_1_tag is missing:
            l_1_tag = 'div'
        if l_1_with_id is missing:
            l_1_with_id = False
        if l_1_label is missing:
            l_1_label = True
        pass
        t_3.extend((
            '<',
            escape(l_1_tag),
            ' class="',
            escape(context.call((undefined(name='slide_class') if l_1_slide_class is missing else l_1_slide_class), l_1_slide)),
            '"',
        ))
        if l_1_with_id:
            pass
            t_3.extend((
                ' id="',
                escape(environment.getattr(l_1_slide, 'id')),
                '"',
            ))
        t_3.extend((
            ' data-index="',
            escape(environment.getattr(l_1_slide, 'index')),
            '" data-steps="',
            escape(environment.getattr(l_1_slide, 'steps')),
            '"',
            escape(t_2(context.call((undefined(name='slide_attrs') if l_1_slide_attrs is missing else l_1_slide_attrs), l_1_slide))),
        ))
        if l_1_label:
            pass
            t_3.extend((
                ' aria-roledescription="slide" aria-label="',
                escape(environment.getattr(l_1_slide, 'index')),
                ' of ',
                escape(t_1(environment.getattr(l_1_deck, 'slides'))),
            ))
            if environment.getattr(l_1_slide, 'title'):
                pass
                t_3.extend((
                    ': ',
                    escape(environment.getattr(l_1_slide, 'title')),
                ))
            t_3.append(
                '"',
            )
        t_3.extend((
            '>\n',
            escape(t_2(environment.getattr(l_1_slide, 'html'))),
            '\n',
        ))
        if (((environment.getattr(l_1_slide, 'index') == 1) and (environment.getattr(l_1_slide, 'layout') in ('title', 'section'))) and context.call((undefined(name='byline') if l_1_byline is missing else l_1_byline), l_1_deck)):
            pass
            t_3.extend((
                '<p class="byline">',
                escape(context.call((undefined(name='byline') if l_1_byline is missing else l_1_byline), l_1_deck)),
                '</p>\n',
            ))
        t_3.extend((
            '</',
            escape(l_1_tag),
            '>',
        ))
        return concat(t_3)
    context.exported_vars.add('slide_element')
    context.vars['slide_element'] = l_0_slide_element = Macro(environment, macro, 'slide_element', ('slide', 'deck', 'tag', 'with_id', 'label'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_slide):
        t_4 = []
        if l_1_slide is missing:
            l_1_slide = undefined("parameter 'slide' was not provided", name='slide')
        pass
        for l_2_note in environment.getattr(l_1_slide, 'notes'):
            _loop_vars = {}
            pass
            t_4.extend((
                escape(t_2(environment.getattr(l_2_note, 'html'))),
                '\n',
            ))
        l_2_note = missing
        return concat(t_4)
    context.exported_vars.add('notes_html')
    context.vars['notes_html'] = l_0_notes_html = Macro(environment, macro, 'notes_html', ('slide',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_view):
        t_5 = []
        if l_1_view is missing:
            l_1_view = undefined("parameter 'view' was not provided", name='view')
        pass
        t_5.append(
            '<dialog class="help" id="podium-help" aria-labelledby="podium-help-title">\n<form method="dialog"><button class="close" value="close">Close <span aria-hidden="true">(Esc)</span></button></form>\n<h2 id="podium-help-title">Keyboard shortcuts</h2>\n<table>\n<tbody></tbody>\n</table>\n</dialog>',
        )
        return concat(t_5)
    context.exported_vars.add('help_dialog')
    context.vars['help_dialog'] = l_0_help_dialog = Macro(environment, macro, 'help_dialog', ('view',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '2=24&3=42&4=81&5=84&6=88&8=93&11=100&12=105&16=117'