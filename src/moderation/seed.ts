/**
 * The shipped prior: typical comment spam and ordinary replies, written for Parley (not taken from any
 * data set). It gives a new site a sensible score before moderators have decided anything, and weighs
 * little once they have.
 */
export const SEED_SPAM = [
  'Check out my channel and subscribe!!',
  'Please subscribe to my channel, I upload new videos every week',
  'Visit my website for cheap deals www.best-deals-online.com',
  'Make money from home, I earn $500 a day, click here',
  'Free gift cards here: bit.ly/free-cards',
  'Great post! Check out my blog too, link in my profile',
  'Buy cheap followers and likes at our site',
  'Hey guys check my new music video and leave a like',
  'Earn cash online fast, no experience needed, visit now',
  'Best casino bonus, play now and win real money',
  'Hello dear, I am a loan agent, contact me on whatsapp for instant loans',
  'Cheap replica watches and bags, free shipping, order today',
  'Click the link to claim your prize before it expires',
  'Lose weight fast with this one weird trick, see my page',
  'Please like and share my video, it would mean a lot, sub4sub',
  'Get thousands of views on your videos, visit our site',
  'SUBSCRIBE TO MY CHANNEL FOR FREE GIVEAWAYS!!!',
  'Investment opportunity, double your bitcoin in 24 hours, message me',
  'Hot singles in your area, click here now',
  'Follow me on instagram and I will follow back',
]

export const SEED_HAM = [
  'Thanks for writing this, it helped me understand the problem.',
  'I disagree with the second point, the numbers seem off to me.',
  'Great article, I had not thought about it this way before.',
  'Could you explain how this works with older versions?',
  'This is exactly what happened to us last year.',
  'I love this song, it brings back so many memories.',
  'Nice work, the examples make it very clear.',
  'Has anyone tried this on a larger data set?',
  'I think the author is right, but the conclusion is a bit strong.',
  'Thank you, this fixed my issue.',
  'My grandmother used to say the same thing.',
  'Interesting read, I will share it with my team.',
  'The video is beautiful, the music fits perfectly.',
  'I have been following this story for years, glad to see an update.',
  'Where can I read more about the study you mention?',
  'Well said. I agree with every word.',
  'This made my day, thanks!',
  'I watched it three times already, still amazing.',
  'Small typo in the third paragraph, otherwise excellent.',
  'Not sure I agree, but it is a fair argument.',
]
