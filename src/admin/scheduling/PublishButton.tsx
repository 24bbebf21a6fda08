'use client'
import { PublishButton as PayloadPublishButton, useDocumentInfo, useModal } from '@payloadcms/ui'
import React, { useEffect } from 'react'

/**
 * Payload's publish button, whose schedule drawer starts on "Publish" for a document that is not
 * published. Payload chooses the drawer's first choice from the number of newer unpublished
 * versions alone (`!hasNewerVersions ? 'unpublish' : 'publish'` in @payloadcms/ui's PublishButton),
 * a number it only counts once a document has been published, so a draft that never was opened on
 * "Unpublish". The drawer takes no default from config or props, and the document info it reads
 * is a private context, so when it opens on such a draft this picks its "Publish" option through
 * the option's own handler (a click), once per opening.
 */
export const PublishButton = (props: { label?: string }) => {
  const { id, hasPublishedDoc } = useDocumentInfo()
  const { isModalOpen } = useModal()
  const drawerOpen = isModalOpen(`schedule-publish-${id}`)
  useEffect(() => {
    if (!drawerOpen || hasPublishedDoc) return
    // The drawer's type options in their order: Publish, then Unpublish.
    const publish = document.querySelector<HTMLInputElement>('.schedule-publish__type li:first-child input[type="radio"]')
    if (publish && !publish.checked) publish.click()
  }, [drawerOpen, hasPublishedDoc])
  return <PayloadPublishButton {...props} />
}
