from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_slides.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_slide_element = l_0_notes_html = l_0_audience = l_0_presenter = l_0_handout_toc = l_0_handout = missing
    pass
    included_template = environment.get_template('_macros.html.j2', '_slides.html.j2')._get_default_module(context)
    l_0_slide_element = getattr(included_template, 'slide_element', missing)
    if l_0_slide_element is missing:
        l_0_slide_element = undefined(f"the template {included_template.__name__!r} (imported on line 3 in '_slides.html.j2') does not export the requested name 'slide_element'", name='slide_element')
    l_0_notes_html = getattr(included_template, 'notes_html', missing)
    if l_0_notes_html is missing:
        l_0_notes_html = undefined(f"the template {included_template.__name__!r} (imported on line 3 in '_slides.html.j2') does not export the requested name 'notes_html'", name='notes_html')
    context.vars.update({'slide_element': l_0_slide_element, 'notes_html': l_0_notes_html})
    context.exported_vars.difference_update(('slide_element', 'notes_html'))
    yield '\n'
    def macro(l_1_slide, l_1_deck, l_1_with_notes):
        t_1 = []
        if l_1_slide is missing:
            l_1_slide = undefined("parameter 'slide' was not provided", name='slide')
        if l_1_deck is missing:
            l_1_deck = undefined("parameter 'deck' was not provided", name='deck')
        if l_1_with_notes is missing:
            l_1_with_notes = undefined("parameter 'with_notes' was not provided", name='with_notes')
        pass
        t_1.append(
            escape(context.call((undefined(name='slide_element') if l_0_slide_element is missing else l_0_slide_element), l_1_slide, l_1_deck, tag='section', with_id=True)),
        )
        return concat(t_1)
    context.exported_vars.add('audience')
    context.vars['audience'] = l_0_audience = Macro(environment, macro, 'audience', ('slide', 'deck', 'with_notes'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_slide, l_1_deck, l_1_with_notes):
        t_2 = []
        if l_1_slide is missing:
            l_1_slide = undefined("parameter 'slide' was not provided", name='slide')
        if l_1_deck is missing:
            l_1_deck = undefined("parameter 'deck' was not provided", name='deck')
        if l_1_with_notes is missing:
            l_1_with_notes = undefined("parameter 'with_notes' was not provided", name='with_notes')
        pass
        t_2.extend((
            '<template id="slide-',
            escape(environment.getattr(l_1_slide, 'index')),
            '">',
            escape(context.call((undefined(name='slide_element') if l_0_slide_element is missing else l_0_slide_element), l_1_slide, l_1_deck, label=False)),
            '</template>\n',
        ))
        if l_1_with_notes:
            pass
            t_2.extend((
                '<template id="notes-',
                escape(environment.getattr(l_1_slide, 'index')),
                '">',
                escape(context.call((undefined(name='notes_html') if l_0_notes_html is missing else l_0_notes_html), l_1_slide)),
                '</template>\n',
            ))
        return concat(t_2)
    context.exported_vars.add('presenter')
    context.vars['presenter'] = l_0_presenter = Macro(environment, macro, 'presenter', ('slide', 'deck', 'with_notes'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_slide, l_1_deck, l_1_with_notes):
        t_3 = []
        if l_1_slide is missing:
            l_1_slide = undefined("parameter 'slide' was not provided", name='slide')
        if l_1_deck is missing:
            l_1_deck = undefined("parameter 'deck' was not provided", name='deck')
        if l_1_with_notes is missing:
            l_1_with_notes = undefined("parameter 'with_notes' was not provided", name='with_notes')
        pass
        t_3.extend((
            '<li><a href="#',
            escape(environment.getattr(l_1_slide, 'id')),
            '">',
            escape((environment.getattr(l_1_slide, 'title') or markup_join(('Slide ', environment.getattr(l_1_slide, 'index'), )))),
            '</a></li>',
        ))
        return concat(t_3)
    context.exported_vars.add('handout_toc')
    context.vars['handout_toc'] = l_0_handout_toc = Macro(environment, macro, 'handout_toc', ('slide', 'deck', 'with_notes'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_slide, l_1_deck, l_1_with_notes):
        t_4 = []
        if l_1_slide is missing:
            l_1_slide = undefined("parameter 'slide' was not provided", name='slide')
        if l_1_deck is missing:
            l_1_deck = undefined("parameter 'deck' was not provided", name='deck')
        if l_1_with_notes is missing:
            l_1_with_notes = undefined("parameter 'with_notes' was not provided", name='with_notes')
        pass
        t_4.append(
            '<article class="item',
        )
        if (not (l_1_with_notes and environment.getattr(l_1_slide, 'notes'))):
            pass
            t_4.append(
                ' no-notes',
            )
        t_4.extend((
            '" id="',
            escape(environment.getattr(l_1_slide, 'id')),
            '" aria-labelledby="cap-',
            escape(environment.getattr(l_1_slide, 'index')),
            '">\n<figure class="item-figure">\n<div class="frame">',
            escape(context.call((undefined(name='slide_element') if l_0_slide_element is missing else l_0_slide_element), l_1_slide, l_1_deck, label=False)),
            '</div>\n<figcaption id="cap-',
            escape(environment.getattr(l_1_slide, 'index')),
            '"><span class="num">Slide ',
            escape(environment.getattr(l_1_slide, 'index')),
            '</span> ',
            escape(environment.getattr(l_1_slide, 'title')),
            '</figcaption>\n</figure>\n',
        ))
        if (l_1_with_notes and environment.getattr(l_1_slide, 'notes')):
            pass
            t_4.extend((
                '<div class="item-notes">\n',
                escape(context.call((undefined(name='notes_html') if l_0_notes_html is missing else l_0_notes_html), l_1_slide)),
                '\n</div>\n',
            ))
        t_4.append(
            '</article>',
        )
        return concat(t_4)
    context.exported_vars.add('handout')
    context.vars['handout'] = l_0_handout = Macro(environment, macro, 'handout', ('slide', 'deck', 'with_notes'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '3=12&5=22&6=32&9=38&10=49&11=54&15=67&16=78&19=87&20=99&22=110&23=112&25=119&27=123'