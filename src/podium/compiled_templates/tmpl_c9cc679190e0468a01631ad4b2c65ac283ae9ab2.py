from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_slides.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_slide_element = l_0_notes_html = l_0_parts = missing
    pass
    included_template = environment.get_template('_macros.html.j2', '_slides.html.j2')._get_default_module(context)
    l_0_slide_element = getattr(included_template, 'slide_element', missing)
    if l_0_slide_element is missing:
        l_0_slide_element = undefined(f"the template {included_template.__name__!r} (imported on line 6 in '_slides.html.j2') does not export the requested name 'slide_element'", name='slide_element')
    l_0_notes_html = getattr(included_template, 'notes_html', missing)
    if l_0_notes_html is missing:
        l_0_notes_html = undefined(f"the template {included_template.__name__!r} (imported on line 6 in '_slides.html.j2') does not export the requested name 'notes_html'", name='notes_html')
    context.vars.update({'slide_element': l_0_slide_element, 'notes_html': l_0_notes_html})
    context.exported_vars.difference_update(('slide_element', 'notes_html'))
    yield '\n'
    def macro(l_1_slide, l_1_deck, l_1_with_notes, l_1_sep):
        t_1 = []
        l_1_element = l_1_notes = missing
        if l_1_slide is missing:
            l_1_slide = undefined("parameter 'slide' was not provided", name='slide')
        if l_1_deck is missing:
            l_1_deck = undefined("parameter 'deck' was not provided", name='deck')
        if l_1_with_notes is missing:
            l_1_with_notes = undefined("parameter 'with_notes' was not provided", name='with_notes')
        if l_1_sep is missing:
            l_1_sep = undefined("parameter 'sep' was not provided", name='sep')
        pass
        l_1_element = context.call((undefined(name='slide_element') if l_0_slide_element is missing else l_0_slide_element), l_1_slide, l_1_deck, label=False)
        l_1_notes = (context.call((undefined(name='notes_html') if l_0_notes_html is missing else l_0_notes_html), l_1_slide) if l_1_with_notes else '')
        t_1.extend((
            escape(context.call((undefined(name='slide_element') if l_0_slide_element is missing else l_0_slide_element), l_1_slide, l_1_deck, tag='section', with_id=True)),
            escape(l_1_sep),
            '<template id="podium-slide-',
            escape(environment.getattr(l_1_slide, 'index')),
            '">',
            escape((undefined(name='element') if l_1_element is missing else l_1_element)),
            '</template>\n',
        ))
        if l_1_with_notes:
            pass
            t_1.extend((
                '<template id="podium-notes-',
                escape(environment.getattr(l_1_slide, 'index')),
                '">',
                escape((undefined(name='notes') if l_1_notes is missing else l_1_notes)),
                '</template>\n',
            ))
        t_1.extend((
            escape(l_1_sep),
            '<li><a href="#',
            escape(environment.getattr(l_1_slide, 'id')),
            '">',
            escape((environment.getattr(l_1_slide, 'title') or markup_join(('Slide ', environment.getattr(l_1_slide, 'index'), )))),
            '</a></li>',
            escape(l_1_sep),
            '<article class="item',
        ))
        if (not (l_1_with_notes and environment.getattr(l_1_slide, 'notes'))):
            pass
            t_1.append(
                ' no-notes',
            )
        t_1.extend((
            '" id="',
            escape(environment.getattr(l_1_slide, 'id')),
            '" aria-labelledby="podium-cap-',
            escape(environment.getattr(l_1_slide, 'index')),
            '">\n<figure class="item-figure">\n<div class="frame">',
            escape((undefined(name='element') if l_1_element is missing else l_1_element)),
            '</div>\n<figcaption id="podium-cap-',
            escape(environment.getattr(l_1_slide, 'index')),
            '"><span class="num">Slide ',
            escape(environment.getattr(l_1_slide, 'index')),
            '</span> ',
            escape(environment.getattr(l_1_slide, 'title')),
            '</figcaption>\n</figure>\n',
        ))
        if (l_1_with_notes and environment.getattr(l_1_slide, 'notes')):
            pass
            t_1.extend((
                '<div class="item-notes">\n',
                escape((undefined(name='notes') if l_1_notes is missing else l_1_notes)),
                '\n</div>\n',
            ))
        t_1.append(
            '</article>',
        )
        return concat(t_1)
    context.exported_vars.add('parts')
    context.vars['parts'] = l_0_parts = Macro(environment, macro, 'parts', ('slide', 'deck', 'with_notes', 'sep'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '6=12&8=22&9=34&10=35&11=37&12=38&13=45&15=55&16=61&18=75&19=77&21=84&23=88'