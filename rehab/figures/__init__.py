"""Exercise figures: a posed human figure drawn as SVG (pure Python, no Flask).

skeleton.py  segment lengths (Winter) and joint ranges; joint angles -> points
scene.py     the view, the floor and the props; where the figure rests
figure.py    an exercise's figure as data (poses, props, arrow) from the library files
render.py    one SVG renderer: still pictures and the self-animating loop
render_top.py  the body drawn by depth (from above, from the head, facing)
render_props.py  the props: furniture, what the hands hold, the floor from above
"""
