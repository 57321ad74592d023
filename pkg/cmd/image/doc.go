// Package image holds the image verbs: pull, images, rmi and the `pod image`
// noun.
package image
