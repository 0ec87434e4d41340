// The text synthetic prompts are cut from: plain English prose written for this project (no
// third-party text), long enough that prompts stitched from random word-aligned pieces of it
// are all different.

/** The corpus. */
export const CORPUS = `
The harbour woke before the town did. Fishing boats slid out past the breakwater while the
bakers on Quay Street pulled the first trays from their ovens, and the smell of bread drifted
down to the water where gulls argued over scraps. By seven the ferry had crossed twice, the
market stalls were half built, and a cold wind came off the sea carrying rain that never quite
arrived. Nobody who lived there paid it much attention; weather was a neighbour, not a guest.

A benchmark is a question asked carefully. Before measuring how fast a server answers, decide
what it will be asked, how often, by how many clients at once, and what counts as an answer.
Latency to the first token tells a user how long they stare at an empty box; the gaps between
later tokens tell them whether the text reads smoothly or stutters. Throughput says how many
people the machine can serve, but only if the prompts resemble the ones real people send.

Maria kept a notebook of every bridge she had crossed. Some entries were a single line, a date
and a river; others ran for pages, describing the stone, the railings, the way the light fell
through the arches in late afternoon. Her brother thought it an odd habit until he read it one
winter and found he could remember every journey they had taken together, each one pinned to
a crossing like a photograph to a board.

To bake a plain loaf, mix flour, water, salt and a little yeast until the dough holds together,
then leave it covered for an hour. Fold it over itself a few times, shape it into a round, and
let it rise again until it springs back slowly when pressed. A hot oven, a tray of water for
steam, and forty minutes later the crust crackles as it cools on the rack.

The committee met on Thursday to discuss the new library. Three proposals had been submitted:
a glass pavilion beside the park, a renovation of the old post office, and a smaller branch in
each of the four districts. The architect of the pavilion spoke first, promising light and
open space; the engineer who had surveyed the post office warned about the roof; a teacher from
the eastern district asked who would walk across town to borrow a book.

Rivers rarely run straight. Water finds the softer ground, cuts into the outer bank of every
bend and lays sand and gravel on the inner one, so that over centuries a valley fills with old
channels and oxbow lakes. Engineers who straighten a river for shipping often find that floods
arrive faster downstream, because the water no longer lingers in the loops it used to wander.

In the workshop behind the station, an old clockmaker repaired pocket watches for anyone who
brought them in. He never quoted a price in advance. He would open the case, study the movement
under a lens, and say only that he would telephone when it was ready. Some watches came back
in a day, others in a month, and the bill was always smaller than the owner had feared.

Networks fail in ordinary ways. A cable is unplugged, a certificate expires, a name no longer
resolves, a process runs out of memory and restarts while requests are still arriving. A
careful client names each failure plainly, backs off instead of hammering a server that is
already struggling, and keeps the results it has already measured rather than throwing them
away because the last request went wrong.

The garden was planted for the bees. Lavender along the path, borage and thyme in the gravel,
foxgloves against the north wall where the shade lasted until noon. In July the air hummed so
loudly that visitors lowered their voices without knowing why, and the honey from the hives at
the bottom of the orchard tasted faintly of the flowers that had bloomed that month.

Mountain weather changes quickly. A clear morning can turn to fog by lunchtime, and walkers who
set out in shirtsleeves come down in the rain, wishing they had listened to the forecast or to
the farmer who had shaken his head as they passed his gate. Experienced guides carry a spare
layer, a map printed on paper, and enough food to wait out a storm beneath a boulder.
`;
