// The routing classifier: multinomial logistic regression over routingFeatures, fitted by
// `npm run router:fit` (scripts/fit-router.ts) on training/routing/ and stored with its record in
// classifier-model.json. Predicting is a sparse dot product: a few thousand multiplications.
import fitted from './classifier-model.json' with { type: 'json' }
import { featuresOfRead } from './features.ts'
import { readForRouting } from './read.ts'
import { ROUTE_CLASSES, type RouteClass } from './route-class.ts'

export interface ClassifierModel {
  classes: readonly RouteClass[]
  features: readonly string[]
  /** weights[feature index][class index], then one bias per class at the end. */
  weights: readonly (readonly number[])[]
  bias: readonly number[]
  /** Temperature from cross-validation: probabilities are softmax(scores / temperature). */
  temperature: number
  thresholds: RouterThresholds
}

/** The classifier's probability of any handoff class that decides (see decide.ts). */
export interface RouterThresholds {
  /** At or above: hand over. */
  handoff: number
  /** At or above (and below handoff): answer and offer a mentor in the same reply. */
  offer: number
  /** Crisis probability at or above which the message is treated as a crisis. */
  crisis: number
  /** "I want a person" probability at or above which the message is handed to a person. */
  human: number
  /** Off-topic probability at or above which a message without any word of the field is refused. */
  outOfScope: number
  /** The same for a message that has a word of the field (AI, work, company): it must be surer. */
  outOfScopeInDomain: number
}

export type ClassProbabilities = Record<RouteClass, number>

export interface Classifier {
  classify(text: string): ClassProbabilities
  /** The same over a message as readForRouting made it (the rules read the same string). */
  classifyRead(read: string): ClassProbabilities
  thresholds: RouterThresholds
}

export function createClassifier(model: ClassifierModel): Classifier {
  const index = new Map(model.features.map((feature, i) => [feature, i]))
  const classifyRead = (read: string): ClassProbabilities => {
    const features = featuresOfRead(read)
    const present = features.map((feature) => index.get(feature)).filter((i): i is number => i !== undefined)
    const scale = featureScale(features.length)
    const scores = model.bias.map((b, c) => {
      let sum = b
      for (const i of present) sum += (model.weights[i]?.[c] ?? 0) * scale
      return sum / model.temperature
    })
    const max = Math.max(...scores)
    const exps = scores.map((s) => Math.exp(s - max))
    const total = exps.reduce((a, b) => a + b, 0)
    const probs = Object.fromEntries(ROUTE_CLASSES.map((c) => [c, 0])) as ClassProbabilities
    model.classes.forEach((c, i) => {
      probs[c] = (exps[i] ?? 0) / total
    })
    return probs
  }
  return {
    thresholds: model.thresholds,
    classifyRead,
    classify: (text) => classifyRead(readForRouting(text)),
  }
}

/**
 * Binary features scaled to unit length over all of a message's features, known to the model or not
 * (so that leaving out features with tiny weights changes no scale); the same in fitting.
 */
export const featureScale = (count: number) => (count ? 1 / Math.sqrt(count) : 0)

/** The classifier fitted on the shipped training set, built once. */
export const routingClassifier: Classifier = createClassifier(fitted as unknown as ClassifierModel)
